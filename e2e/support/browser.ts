import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";

/** Debian's Chromium (playwright cannot download its own browsers here); see docs TOOLCHAIN notes. */
export const CHROMIUM_PATH = process.env.PEDIGREE_CHROMIUM ?? "/usr/bin/chromium";

const SCREENSHOT_DIR = fileURLToPath(new URL("../screenshots/", import.meta.url));

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`No Chromium at ${CHROMIUM_PATH}. Run the browser tests with scripts/e2e.sh, which installs it.`);
  }
  // launch() gives every browser a fresh temporary profile (user data dir) of its own.
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Saves what the page shows as e2e/screenshots/<name>.png (a failed test's picture is kept as such). */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name.replace(/[^a-z0-9]+/gi, "-").toLowerCase()}.png`);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}
