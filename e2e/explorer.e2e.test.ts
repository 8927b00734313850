import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { launchChromium, saveScreenshot } from "./support/browser.js";
import { signIn } from "./support/sign-in.js";
import { startStack, type TestStack } from "./support/stack.js";

// The explorer against the real stack: `npm start`'s process (API on an embedded database, which
// starts the Next.js explorer) with the demo lineage, driven through Chromium.
describe("explorer (browser)", () => {
  let stack: TestStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    stack = await startStack({ demo: true });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
  });

  afterEach(async (testContext) => {
    const failed = testContext.task.result?.state === "fail";
    await saveScreenshot(page, `${testContext.task.name}${failed ? " FAILED" : ""}`);
    await context.close();
  });

  it("asks for a token, refuses a wrong one, and signs in with a real one", async () => {
    await page.goto(`${stack.webUrl}/lineage`);
    await page.getByText("The explorer needs an API token").waitFor();

    // The API refuses calls without a token; the proxy passes its 401 through.
    const anonymous = await fetch(`${stack.webUrl}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ me { email } }" }),
    });
    expect(anonymous.status).toBe(401);

    await page.goto(`${stack.webUrl}/sign-in`);
    await page.getByLabel("API token").fill(`pdg_${"x".repeat(43)}`);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").filter({ hasText: "not known to this server" }).waitFor();
    expect(page.url()).toContain("/sign-in");

    await signIn(page, stack);
    await page.getByLabel("Search by name").waitFor();
  });

  it("finds a deployment by name and opens its lineage graph", async () => {
    await signIn(page, stack);
    await page.getByLabel("Search by name").fill("churn-prod");
    await page.getByRole("button", { name: /churn-production/ }).click();
    await page.waitForURL(/node=/);

    const deployment = page.locator('[data-testid="lineage-node"][data-kind="DEPLOYMENT"]');
    await deployment.first().waitFor();
    await expect.poll(() => deployment.first().textContent()).toContain("churn-production");
    // What serves it and what produced that: model versions, their runs, the data they read.
    for (const kind of ["MODEL_VERSION", "RUN", "DATASET_VERSION"]) {
      expect(await page.locator(`[data-testid="lineage-node"][data-kind="${kind}"]`).count(), kind).toBeGreaterThan(0);
    }
    await expect.poll(() => page.getByTestId("graph-status").textContent()).toMatch(/\d+ of \d+ nodes · \d+ edges/);
  });

  it("expands a node and highlights the impact set of a dataset version", async () => {
    await signIn(page, stack);
    await page.getByLabel("Search by name").fill("churn-prod");
    await page.getByRole("button", { name: /churn-production/ }).click();
    const nodes = page.locator('[data-testid="lineage-node"]');
    await nodes.first().waitFor();
    const before = await nodes.count();

    await page.locator('[data-testid="lineage-node"][data-kind="DATASET_VERSION"]').first().click();
    await page.getByTestId("node-details").getByText("Dataset version").waitFor();
    await page.getByRole("button", { name: "Expand upstream" }).click();
    await expect.poll(() => nodes.count()).toBeGreaterThanOrEqual(before);

    await page.getByRole("button", { name: "Highlight impact" }).click();
    await page.getByRole("button", { name: "Clear impact highlight" }).waitFor();
    // The deployment serves a model trained on this data: it is in the impact set.
    await expect.poll(() => page.locator(".lineage-node.impact[data-kind=DEPLOYMENT]").count()).toBeGreaterThan(0);
    expect(await page.locator(".lineage-node.dimmed").count()).toBeGreaterThan(0);
  });

  it("replays the graph as of an earlier moment with the time slider: the previous model version served", async () => {
    await signIn(page, stack);
    await page.getByLabel("Search by name").fill("churn-prod");
    await page.getByRole("button", { name: /churn-production/ }).click();
    const modelVersions = page.locator('[data-testid="lineage-node"][data-kind="MODEL_VERSION"]');
    await modelVersions.first().waitFor();
    // Now: the champion v2 and the canary v3 serve production; v1 served first (demo revisions 1–3).
    await expect.poll(async () => (await modelVersions.allTextContents()).join(" | ")).toContain("churn-classifier v3");
    expect((await modelVersions.allTextContents()).join(" | ")).not.toContain("churn-classifier v1");

    // Step back one change at a time (keyboard, as a person would) until v1 is what served.
    const slider = page.getByLabel("As of");
    await slider.focus();
    let titles = "";
    const status = page.getByTestId("graph-status");
    for (let step = 0; step < 8 && !titles.includes("churn-classifier v1"); step += 1) {
      const before = page.url();
      await page.keyboard.press("ArrowLeft");
      await page.waitForURL((url) => url.href !== before);
      const asOf = new URL(page.url()).searchParams.get("asOf");
      // Wait until the answer for that moment is the one drawn.
      await expect
        .poll(async () => `${await status.getAttribute("data-shown-as-of")} ${await status.getAttribute("data-settled")}`)
        .toBe(`${asOf} true`);
      titles = (await modelVersions.allTextContents()).join(" | ");
    }
    expect(titles).toContain("churn-classifier v1");
    expect(titles).not.toContain("churn-classifier v3");
    expect(await page.getByTestId("as-of-label").textContent()).toMatch(/UTC$/);

    await page.getByRole("button", { name: "Now" }).click();
    await expect.poll(async () => (await modelVersions.allTextContents()).join(" | ")).toContain("churn-classifier v3");
  });
});
