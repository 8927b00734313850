import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { launchChromium, saveScreenshot } from "./support/browser.js";
import { signIn } from "./support/sign-in.js";
import { monitorUntilAlert, predictShifted, startDriftingDeployment } from "./support/drifting-deployment.js";
import { startStack, type TestStack } from "./support/stack.js";
import { callApi } from "./support/stack-api.js";

// Entity pages, live alerts and the audit trail against the real stack (`npm start`'s process on an
// embedded database, with the demo lineage), driven through Chromium.
describe("explorer pages, live alerts and audit (browser)", () => {
  let stack: TestStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "pedigree-e2e-files-"));
    stack = await startStack({ demo: true });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    page = await context.newPage();
  });

  afterEach(async (testContext) => {
    const failed = testContext.task.result?.state === "fail";
    await saveScreenshot(page, `${testContext.task.name}${failed ? " FAILED" : ""}`);
    await context.close();
  });

  it("opens a run from the lineage graph and sees its metric curve and its sweep", async () => {
    await signIn(page, stack);
    await page.getByLabel("Search by name").fill("churn-prod");
    await page.getByRole("button", { name: /churn-production/ }).click();
    // The canary v3 node, then its page from the details panel.
    const v3 = page.locator('[data-testid="lineage-node"][data-kind="MODEL_VERSION"]', { hasText: "churn-classifier v3" });
    await v3.first().click();
    await page.getByRole("link", { name: "Open page of this model version" }).click();
    await page.waitForURL(/\/model-versions\//);
    await page.getByRole("heading", { level: 1, name: "churn-classifier v3" }).waitFor();
    expect(await page.getByTestId("aliases").textContent()).toBe("challenger");
    await expect.poll(() => page.getByTestId("provenance").textContent()).toMatch(/features\/user_activity_daily v2/);
    await saveScreenshot(page, "model version page");

    // The trial that produced it: its loss and val_auc curves over 30 epochs.
    await page.getByRole("link", { name: "train-churn run" }).first().click();
    await page.waitForURL(/\/runs\//);
    const curves = page.getByTestId("metric-curve");
    await curves.first().waitFor();
    expect(await curves.count()).toBe(2);
    const valAuc = curves.filter({ hasText: "val_auc per step" });
    // Drawn (uPlot's canvas) and told in words and numbers.
    await valAuc.locator("canvas").first().waitFor();
    expect(await valAuc.locator(".chart-summary").textContent()).toMatch(/^30 steps; last 0\.\d+ at step 29/);
    await valAuc.getByText("Show the numbers").click();
    expect(await valAuc.locator("details tbody tr").count()).toBe(30);
    expect(await page.getByTestId("run-parameters").textContent()).toContain("lr");
    await curves.first().scrollIntoViewIfNeeded();
    await saveScreenshot(page, "run page metric curves");

    // Up to the sweep: its trials, the best one marked.
    await page.getByRole("link", { name: /demo-sweep-1$/ }).click();
    await page.getByTestId("sweep-children").waitFor();
    expect(await page.getByTestId("sweep-children").locator("tbody tr").count()).toBe(3);
  });

  it("shows a drift alert live, without reload, when the API raises it", async () => {
    await signIn(page, stack);
    const deployment = await startDriftingDeployment(stack, dir, "e2e-drift", async (jobId) => {
      // Training progress, live.
      await page.goto(`${stack.webUrl}/jobs/${encodeURIComponent(jobId)}`);
      await page.getByTestId("job-progress").waitFor();
    });
    await expect.poll(() => page.getByTestId("job-progress").getAttribute("data-status"), { timeout: 60_000 }).toBe("COMPLETED");

    // Browser notifications allowed: each one shown is recorded (headless Chromium draws none).
    await context.grantPermissions(["notifications"], { origin: stack.webUrl });
    await context.addInitScript({
      content: `window.pedigreeNotified = [];
        window.Notification = class extends window.Notification {
          constructor(title, options) { super(title, options); window.pedigreeNotified.push(title); }
        };`,
    });
    await page.goto(`${stack.webUrl}/alerts`);
    await page.getByText("Browser notifications: on").waitFor();
    await expect
      .poll(() => page.getByTestId("live-status").getAttribute("data-connection"), { timeout: 20_000 })
      .toBe("connected");
    const before = await page.getByTestId("alert-item").count();
    // Gone if the page reloads: the alert must arrive in this very document.
    await page.evaluate(() => Object.assign(globalThis, { pedigreeNoReload: true }));

    // Shifted inputs served through the API, then monitoring over the window: a data-drift alert.
    await predictShifted(stack, deployment.deploymentName, 300, 3, 21);
    const raised = await monitorUntilAlert(stack, deployment.deploymentId);
    const { alerts } = await callApi(
      stack,
      `query($id: ID!) { alerts(filter: { deploymentId: $id }) { edges { node { id kind } } } }`,
      {
        id: deployment.deploymentId,
      },
    );
    const dataDrift = (alerts.edges as { node: { id: string; kind: string } }[]).find((edge) => edge.node.kind === "DATA_DRIFT");
    expect(dataDrift, `alerts raised: ${raised.join(", ")}`).toBeDefined();

    const toast = page.locator(`[data-testid="alert-toast"][data-alert-id="${dataDrift!.node.id}"]`);
    await toast.waitFor({ timeout: 10_000 });
    expect(await toast.textContent()).toMatch(/Data drift alert/);
    expect(await toast.textContent()).toContain("x0");
    await page.locator(`[data-testid="alert-item"][data-alert-id="${dataDrift!.node.id}"]`).getByText("new").waitFor();
    expect(await page.getByTestId("alert-item").count()).toBeGreaterThan(before);
    expect(await page.evaluate(() => "pedigreeNoReload" in globalThis)).toBe(true);
    await expect
      .poll(() => page.evaluate(() => (globalThis as unknown as { pedigreeNotified: string[] }).pedigreeNotified))
      .toContain("Data drift alert (critical)");
    await saveScreenshot(page, "drift alert toast and feed");

    // Its deployment: the drift dashboard shows x0 over the threshold and its histograms.
    await toast.getByRole("link", { name: "Open deployment" }).click();
    await page.getByTestId("drift-dashboard").waitFor();
    await expect.poll(() => page.getByTestId("drift-dashboard").textContent()).toContain("drifting: x0");
    await page.getByTestId("drift-over-time").locator("canvas").first().waitFor();
    expect(await page.getByTestId("drift-histogram").locator("figcaption").textContent()).toMatch(/^x0: baseline vs current/);
    expect(await page.getByTestId("traffic-split").textContent()).toContain("100 %");
    await page.getByTestId("drift-histogram").scrollIntoViewIfNeeded();
    await saveScreenshot(page, "deployment drift dashboard");

    // The trained version's page: its feature importance as bars (x0 and x1 decide the label).
    await page.getByTestId("traffic-split").getByRole("link", { name: "e2e-drift v1" }).click();
    const importance = page.getByTestId("feature-importance");
    await importance.locator("svg rect").first().waitFor();
    expect(await importance.locator("svg rect").count()).toBe(3);
    expect(await importance.locator(".chart-summary").textContent()).toMatch(/^Most important: x[01] /);
  });

  it("exports the audit log as JSONL and the file matches its manifest's SHA-256", async () => {
    await signIn(page, stack);
    await page.goto(`${stack.webUrl}/audit`);
    await page.getByTestId("audit-events").waitFor();
    await expect.poll(() => page.getByTestId("chain-status").getAttribute("data-ok")).toBe("true");

    // Filtering narrows the log (the demo registered model versions as the admin).
    await page.getByLabel("Action").fill("model_version.registered");
    await page.getByRole("button", { name: "Apply filter" }).click();
    await expect
      .poll(async () => new Set(await page.getByTestId("audit-events").locator("tbody td:nth-child(3)").allTextContents()))
      .toEqual(new Set(["model_version.registered"]));
    await page.getByRole("button", { name: "Clear" }).click();

    await page.getByRole("button", { name: "Export JSONL" }).click();
    const tracker = page.getByTestId("export-tracker");
    await expect.poll(() => tracker.getAttribute("data-status"), { timeout: 60_000 }).toBe("SUCCEEDED");
    await expect.poll(() => tracker.getByTestId("job-progress").getAttribute("data-status")).toBe("COMPLETED");

    const save = async (name: string) => {
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: `Download ${name}` }).click(),
      ]);
      expect(download.suggestedFilename()).toBe(name);
      const target = path.join(dir, name);
      await download.saveAs(target);
      return readFile(target);
    };
    const data = await save("audit-events.jsonl");
    const manifest = JSON.parse((await save("manifest.json")).toString("utf8")) as Record<string, unknown>;
    expect(manifest.file).toBe("audit-events.jsonl");
    expect(createHash("sha256").update(data).digest("hex")).toBe(manifest.sha256);
    const lines = data.toString("utf8").split("\n").filter(Boolean);
    expect(lines.length).toBe(manifest.count);
    expect((JSON.parse(lines.at(-1)!) as { hash: string }).hash).toBe(manifest.lastHash);
  });
});
