import type { Page } from "playwright-core";
import { expect } from "vitest";
import type { TestStack } from "./stack.js";

/** Signs in on the explorer with the stack's admin token and waits until the header names the admin. */
export async function signIn(page: Page, stack: TestStack): Promise<void> {
  await page.goto(`${stack.webUrl}/sign-in`);
  await page.getByLabel("API token").fill(stack.token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/lineage");
  await expect.poll(() => page.getByTestId("signed-in-as").textContent()).toBe(stack.adminEmail);
}
