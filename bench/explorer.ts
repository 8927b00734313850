// Explorer figures (issue 6), in headless Chromium against the real stack (`npm start`'s process on a
// fresh embedded data folder, which starts the built explorer):
// 1. graph: time from navigation to an interactive lineage graph of about 100, 1,000 and 5,000 nodes
//    (seeded through the API: a dataset version read by ETL runs, each writing dataset versions
//    read by training runs, so the explorer's 3-hop view around it holds the whole graph). "Interactive"
//    = the answer is laid out (ELK, in its worker) and React Flow has drawn the nodes, measured in
//    the page (performance.now(), i.e. since navigation start). Each sample is a new browser context
//    (empty cache).
// 2. js: JavaScript shipped for the lineage page (every script response of a cold load, gzip -6),
//    split into the page's own scripts and the ELK layout worker.
// 3. alert: time from an alert being raised by the API (its raisedAt, written in the monitoring
//    job's transaction) to its toast being on screen in a page subscribed to driftAlerts. Same
//    machine, so the browser's clock and the API's agree.
// BENCH_EXPLORER_PARTS=graph,js,alert (default all), BENCH_EXPLORER_SIZES=100,1000,5000 (default all),
// BENCH_EXPLORER_SAMPLES (5 per size), BENCH_EXPLORER_ALERTS (10).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import type { Browser, BrowserContext } from "playwright-core";
import { launchChromium } from "../e2e/support/browser.js";
import { monitorUntilAlert, predictShifted, startDriftingDeployment } from "../e2e/support/drifting-deployment.js";
import { startStack, type TestStack } from "../e2e/support/stack.js";
import { callApi } from "../e2e/support/stack-api.js";
import { fmt, median } from "./lib/stats.js";

const PARTS = new Set((process.env.BENCH_EXPLORER_PARTS ?? "graph,js,alert").split(","));
const SAMPLES = Number(process.env.BENCH_EXPLORER_SAMPLES ?? 5);
const ALERTS = Number(process.env.BENCH_EXPLORER_ALERTS ?? 10);
const SIZES = new Set((process.env.BENCH_EXPLORER_SIZES ?? "100,1000,5000").split(","));
const NAMESPACE = "bench-explorer";
const TOKEN_KEY = "pedigree.apiToken";

/**
 * The few browser globals the in-page probes use. This file is type-checked with Node's libs (no
 * DOM), and functions passed to page.evaluate run in the browser, where globalThis is window.
 */
interface PageElement {
  getAttribute(name: string): string | null;
  textContent: string | null;
}
interface PageGlobals {
  document: { querySelector(selector: string): PageElement | null };
  sessionStorage: { setItem(key: string, value: string): void };
  requestAnimationFrame(callback: () => void): number;
  MutationObserver: new (
    callback: () => void,
  ) => { observe(target: unknown, options: { childList: boolean; subtree: boolean }): void };
  benchInteractiveAt?: number;
  benchDrawn?: number;
  benchStatus?: string | null;
  benchToastsAt?: Record<string, number>;
}

/** ETL runs reading the root, dataset versions each writes, training runs reading each of those. */
const SHAPES = [
  { size: "100", label: "100", etl: 3, outputs: 4, readers: 7 },
  { size: "1000", label: "1,000", etl: 9, outputs: 10, readers: 10 },
  { size: "5000", label: "5,000", etl: 10, outputs: 20, readers: 24 },
] as const;

const nodesOf = (shape: (typeof SHAPES)[number]) =>
  1 + shape.etl + shape.etl * shape.outputs + shape.etl * shape.outputs * shape.readers;

/** Runs `tasks` with at most `parallel` at once. */
async function inParallel<T>(tasks: (() => Promise<T>)[], parallel: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < tasks.length) {
        const index = next++;
        results[index] = await tasks[index]!();
      }
    }),
  );
  return results;
}

const REGISTER_VERSION = `mutation($input: RegisterDatasetVersionInput!) { registerDatasetVersion(input: $input) { datasetVersion { id } } }`;
const START_RUN = `mutation($input: StartRunInput!) { startRun(input: $input) { run { id } } }`;
const digestOf = (label: string) => `sha256:${Buffer.from(label).toString("hex").padEnd(64, "0").slice(0, 64)}`;

/** Seeds one layered graph through the API; returns the root dataset version's id. */
async function seedGraph(stack: TestStack, shape: (typeof SHAPES)[number], index: number): Promise<string> {
  const version = async (dataset: string, producedByRunId?: string) =>
    (
      await callApi(stack, REGISTER_VERSION, {
        input: {
          namespace: NAMESPACE,
          dataset,
          uri: `s3://bench/${dataset}`,
          format: "PARQUET",
          digest: digestOf(`${index}/${dataset}`),
          ...(producedByRunId ? { producedByRunId } : {}),
        },
      })
    ).registerDatasetVersion.datasetVersion.id as string;
  const run = async (job: string, inputId: string, role: string) =>
    (
      await callApi(stack, START_RUN, {
        input: {
          namespace: NAMESPACE,
          job,
          jobType: "bench",
          inputs: [{ datasetVersionId: inputId, role }],
        },
      })
    ).startRun.run.id as string;
  const root = await version(`g${index}/source`);
  const etlRuns = await inParallel(
    Array.from({ length: shape.etl }, (_, e) => () => run(`g${index}-etl-${e}`, root, "OTHER")),
    4,
  );
  const outputs = await inParallel(
    etlRuns.flatMap((runId, e) =>
      Array.from({ length: shape.outputs }, (_, o) => () => version(`g${index}/table-${e}-${o}`, runId)),
    ),
    4,
  );
  await inParallel(
    outputs.flatMap((outputId, o) =>
      Array.from({ length: shape.readers }, (_, r) => () => run(`g${index}-train-${o % 50}-${r}`, outputId, "TRAIN")),
    ),
    4,
  );
  return root;
}

/** A signed-in browser context: the token where the explorer keeps it, before any page script runs. */
async function signedInContext(browser: Browser, stack: TestStack): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await context.addInitScript(
    ([key, token]) => {
      (globalThis as unknown as PageGlobals).sessionStorage.setItem(key as string, token as string);
    },
    [TOKEN_KEY, stack.token],
  );
  return context;
}

/**
 * In-page probes, as script text: tsx (esbuild keepNames) would wrap a TypeScript function's inner
 * functions in a `__name` helper that does not exist in the page.
 */
/** Records when the graph is first laid out and drawn (ms since navigation start). */
const WATCH_INTERACTIVE = `(() => {
  const check = () => {
    const status = document.querySelector('[data-testid="graph-status"]');
    const drawn = document.querySelectorAll(".react-flow__node").length;
    if (status && status.getAttribute("data-settled") === "true" && drawn > 0) {
      Object.assign(window, { benchInteractiveAt: performance.now(), benchDrawn: drawn, benchStatus: status.textContent });
      return;
    }
    requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})();`;

/** Records every alert toast's first appearance, by alert id, on the page's wall clock. */
const WATCH_TOASTS = `(() => {
  const seen = {};
  window.benchToastsAt = seen;
  new MutationObserver(() => {
    for (const toast of document.querySelectorAll("[data-testid=alert-toast]")) {
      const id = toast.getAttribute("data-alert-id");
      if (id && !(id in seen)) seen[id] = Date.now();
    }
  }).observe(document, { childList: true, subtree: true });
})();`;

async function graphFigures(browser: Browser, stack: TestStack): Promise<void> {
  console.log("\n== Navigation → interactive lineage graph (headless Chromium, new context per sample) ==");
  for (const [index, shape] of SHAPES.entries()) {
    if (!SIZES.has(shape.size)) continue;
    const started = performance.now();
    const root = await seedGraph(stack, shape, index);
    console.log(`seeded ~${nodesOf(shape)} nodes through the API in ${fmt((performance.now() - started) / 1000, 1)} s`);
    const samples: number[] = [];
    let status = "";
    let drawn = 0;
    for (let sample = 0; sample < SAMPLES + 1; sample++) {
      const context = await signedInContext(browser, stack);
      await context.addInitScript({ content: WATCH_INTERACTIVE });
      const page = await context.newPage();
      await page.goto(`${stack.webUrl}/lineage?node=${encodeURIComponent(root)}`);
      await page.waitForFunction(() => "benchInteractiveAt" in globalThis, undefined, { timeout: 120_000, polling: 50 });
      const result = (await page.evaluate(() => {
        const found = globalThis as unknown as PageGlobals;
        return { at: found.benchInteractiveAt ?? 0, drawn: found.benchDrawn ?? 0, status: found.benchStatus ?? "" };
      })) as { at: number; drawn: number; status: string };
      // The first sample also warms the API's and Next's caches; it is not counted.
      if (sample > 0) samples.push(result.at);
      status = result.status;
      drawn = result.drawn;
      await context.close();
    }
    const sorted = [...samples].sort((a, b) => a - b);
    console.log(
      `${`~${shape.label} nodes`.padEnd(14)} median ${fmt(median(samples), 0)} ms  min ${fmt(sorted[0]!, 0)} ms  max ${fmt(sorted.at(-1)!, 0)} ms  (n=${samples.length}; ${drawn} drawn; "${status}")`,
    );
  }
}

async function javascriptFigures(browser: Browser, stack: TestStack): Promise<void> {
  console.log("\n== JavaScript shipped for the lineage page (cold load, gzip -6 of each script) ==");
  const root = (await callApi(
    stack,
    `{ deployments(first: 1) { edges { node { id } } } datasetVersions(first: 1) { edges { node { id } } } }`,
  )) as { datasetVersions: { edges: { node: { id: string } }[] } };
  const context = await signedInContext(browser, stack);
  await context.addInitScript({ content: WATCH_INTERACTIVE });
  const page = await context.newPage();
  const workerUrls = new Set<string>();
  page.on("worker", (worker) => workerUrls.add(worker.url()));
  const scripts = new Map<string, Buffer>();
  const pending: Promise<void>[] = [];
  context.on("response", (response) => {
    const type = response.headers()["content-type"] ?? "";
    if (!type.includes("javascript")) return;
    pending.push(
      response.body().then(
        (body) => void scripts.set(response.url(), body),
        () => undefined,
      ),
    );
  });
  const node = root.datasetVersions.edges[0]?.node.id ?? "";
  await page.goto(`${stack.webUrl}/lineage?node=${encodeURIComponent(node)}`);
  await page.waitForFunction(() => "benchInteractiveAt" in globalThis, undefined, { timeout: 120_000, polling: 50 });
  await page.waitForLoadState("networkidle");
  await Promise.all(pending);
  let pageRaw = 0;
  let pageGzip = 0;
  let workerRaw = 0;
  let workerGzip = 0;
  // A Turbopack worker's URL names the chunks it loads (#params=[[chunk paths], …]): they are the worker's.
  const workerFiles = new Set<string>();
  for (const url of workerUrls) {
    const parsed = new URL(url);
    workerFiles.add(`${parsed.origin}${parsed.pathname}`);
    const params = parsed.hash.startsWith("#params=") ? (JSON.parse(decodeURIComponent(parsed.hash.slice(8))) as unknown[]) : [];
    for (const chunk of (params[0] as string[] | undefined) ?? []) workerFiles.add(`${parsed.origin}${chunk}`);
  }
  const isWorkerFile = (url: string) => {
    const parsed = new URL(url);
    return workerFiles.has(`${parsed.origin}${parsed.pathname}`);
  };
  for (const [url, body] of scripts) {
    const gzip = gzipSync(body, { level: 6 }).length;
    if (isWorkerFile(url)) {
      workerRaw += body.length;
      workerGzip += gzip;
    } else {
      pageRaw += body.length;
      pageGzip += gzip;
    }
  }
  for (const [url, body] of [...scripts].sort((a, b) => b[1].length - a[1].length)) {
    const where = isWorkerFile(url) ? "worker" : "page";
    console.log(
      `  ${fmt(gzipSync(body, { level: 6 }).length / 1000, 1).padStart(7)} kB gzip  ${where.padEnd(6)} ${new URL(url).pathname}`,
    );
  }
  console.log(
    `page scripts: ${[...scripts.keys()].filter((url) => !isWorkerFile(url)).length} files, ${fmt(pageGzip / 1000, 1)} kB gzip (${fmt(pageRaw / 1000, 1)} kB raw)`,
  );
  console.log(
    `ELK layout worker: ${[...scripts.keys()].filter(isWorkerFile).length} file(s), ${fmt(workerGzip / 1000, 1)} kB gzip (${fmt(workerRaw / 1000, 1)} kB raw)`,
  );
  await context.close();
}

async function alertFigures(browser: Browser, stack: TestStack, dir: string): Promise<void> {
  console.log("\n== Alert raised by the API → toast on screen (driftAlerts subscription) ==");
  const deployment = await startDriftingDeployment(stack, dir, "bench-explorer-drift");
  const context = await signedInContext(browser, stack);
  await context.addInitScript({ content: WATCH_TOASTS });

  const page = await context.newPage();
  await page.goto(`${stack.webUrl}/alerts`);
  await page.waitForFunction(
    () =>
      (globalThis as unknown as PageGlobals).document
        .querySelector("[data-testid=live-status]")
        ?.getAttribute("data-connection") === "connected",
  );
  const samples: number[] = [];
  for (let iteration = 0; iteration < ALERTS + 1; iteration++) {
    // Resolve what is open, so that the same drift raises new alerts.
    const open = (await callApi(
      stack,
      `query($id: ID!) { alerts(filter: { deploymentId: $id, statuses: [OPEN] }) { edges { node { id } } } }`,
      {
        id: deployment.deploymentId,
      },
    )) as { alerts: { edges: { node: { id: string } }[] } };
    for (const edge of open.alerts.edges)
      await callApi(stack, `mutation($id: ID!) { resolveAlert(id: $id) { id } }`, { id: edge.node.id });
    await predictShifted(stack, deployment.deploymentName, 200, 3, 100 + iteration);
    await monitorUntilAlert(stack, deployment.deploymentId);
    const raised = (await callApi(
      stack,
      `query($id: ID!) { alerts(filter: { deploymentId: $id, statuses: [OPEN] }) { edges { node { id raisedAt } } } }`,
      {
        id: deployment.deploymentId,
      },
    )) as { alerts: { edges: { node: { id: string; raisedAt: string } }[] } };
    const ids = raised.alerts.edges.map((edge) => edge.node.id);
    await page.waitForFunction(
      (wanted) => wanted.every((id) => id in ((globalThis as unknown as PageGlobals).benchToastsAt ?? {})),
      ids,
      {
        timeout: 30_000,
      },
    );
    const shownAt = (await page.evaluate(() => (globalThis as unknown as PageGlobals).benchToastsAt ?? {})) as Record<
      string,
      number
    >;
    if (iteration === 0) continue;
    for (const edge of raised.alerts.edges) samples.push(shownAt[edge.node.id]! - Date.parse(edge.node.raisedAt));
  }
  const sorted = [...samples].sort((a, b) => a - b);
  console.log(
    `raisedAt → toast on screen: median ${fmt(median(samples), 0)} ms  min ${fmt(sorted[0]!, 0)} ms  max ${fmt(sorted.at(-1)!, 0)} ms  (n=${samples.length} alerts)`,
  );
  await context.close();
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), "pedigree-bench-explorer-"));
  const stack = await startStack({ demo: PARTS.has("js") });
  const browser = await launchChromium();
  try {
    console.log(`Explorer bench: ${stack.webUrl} (API ${stack.apiUrl}), embedded database, Chromium headless`);
    if (PARTS.has("js")) await javascriptFigures(browser, stack);
    if (PARTS.has("graph")) await graphFigures(browser, stack);
    if (PARTS.has("alert")) await alertFigures(browser, stack, dir);
  } finally {
    await browser.close();
    await stack.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
