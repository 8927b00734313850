// Predict latency and throughput for a 50-feature logistic regression: 1, 16 and 64 concurrent
// clients posting one row each over loopback HTTP to POST /v1/deployments/:name/predict of an
// embedded server process (as users start it), against raw onnxruntime-node session.run on one row
// in this process, in the same run. Pedigree runs twice: with the default micro-batch window of 0
// (the requests of the same event-loop turn are batched) and with a 1,000 µs window.
//   npx tsx bench/predict.ts            BENCH_DURATION=<seconds per measurement, default 8>
import { mkdtempSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { CREATE_DEPLOYMENT, REGISTER_MODEL_VERSION, trainLogisticArtifact } from "../server/serving/serving.fixtures.js";
import { startServerProcess } from "./lib/server-process.js";
import { fmt, summarize } from "./lib/stats.js";

const DURATION_S = Number(process.env.BENCH_DURATION ?? 8);
const WARMUP_S = 2;
const CONCURRENCY = [1, 16, 64];
const FEATURES = 50;

interface Measurement {
  p50: number;
  p99: number;
  rps: number;
}

async function graphql(url: string, query: string, variables: Record<string, unknown>) {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Record<string, any>; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data!;
}

/** `clients` loops, each with its own keep-alive connection, POSTing `body` for `seconds`. */
async function httpLoad(url: string, path: string, body: string, clients: number, seconds: number): Promise<Measurement> {
  const { hostname, port } = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const samples: number[] = [];
  const until = performance.now() + seconds * 1_000;
  const post = () =>
    new Promise<void>((resolve, reject) => {
      const req = request(
        {
          agent,
          hostname,
          port,
          path,
          method: "POST",
          headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          res.on("end", () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < until) {
        const started = performance.now();
        await post();
        samples.push(performance.now() - started);
      }
    }),
  );
  agent.destroy();
  const summary = summarize(samples);
  return { p50: summary.p50, p99: summary.p99, rps: summary.count / seconds };
}

/** `clients` concurrent loops of session.run on one row, for `seconds`. */
async function rawLoad(session: ort.InferenceSession, row: Float32Array, clients: number, seconds: number): Promise<Measurement> {
  const samples: number[] = [];
  const until = performance.now() + seconds * 1_000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < until) {
        const started = performance.now();
        await session.run({ features: new ort.Tensor("float32", row, [1, FEATURES]) });
        samples.push(performance.now() - started);
      }
    }),
  );
  const summary = summarize(samples);
  return { p50: summary.p50, p99: summary.p99, rps: summary.count / seconds };
}

async function residentMemoryMb(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^pedigree_process_resident_memory_bytes (\S+)/m.exec(text)?.[1] ?? Number.NaN) / 2 ** 20;
}

const artifactDir = mkdtempSync(join(tmpdir(), "pedigree-bench-models-"));
const artifact = await trainLogisticArtifact(artifactDir, { features: FEATURES, seed: 2024, rows: 5_000 });
const rowValues = Array.from({ length: FEATURES }, (_, f) => Math.sin(f + 1) * 3);
const body = JSON.stringify({ rows: [Object.fromEntries(artifact.featureNames.map((name, f) => [name, rowValues[f]]))] });
console.log(
  `model: logistic regression, ${FEATURES} features, ONNX ${artifact.bytes.byteLength} bytes; request body ${body.length} bytes`,
);

const session = await ort.InferenceSession.create(artifact.bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
const row = Float32Array.from(rowValues);
const raw = new Map<number, Measurement>();
await rawLoad(session, row, 1, WARMUP_S);
for (const clients of CONCURRENCY) raw.set(clients, await rawLoad(session, row, clients, DURATION_S));
const rawRssMb = process.memoryUsage().rss / 2 ** 20;
await session.release();

const results: Array<{ variant: string; clients: number; served: Measurement; rssMb: number; idleRssMb: number }> = [];
for (const [variant, windowMicros] of [
  ["window 0 (default)", "0"],
  ["window 1000 µs", "1000"],
] as const) {
  const server = await startServerProcess({
    // Workers stay out: this measures the predict path, not queue polling on the same cores.
    PEDIGREE_IN_PROCESS_WORKERS: "off",
    PEDIGREE_DATA_DIR: mkdtempSync(join(tmpdir(), "pedigree-bench-")),
    PEDIGREE_PREDICT_BATCH_WINDOW_US: windowMicros,
  });
  try {
    const version = await graphql(server.url, REGISTER_MODEL_VERSION, {
      input: {
        namespace: "bench",
        model: "logistic50",
        artifactUri: artifact.uri,
        artifactSha256: artifact.sha256,
        signature: artifact.signature,
      },
    });
    await graphql(server.url, CREATE_DEPLOYMENT, {
      input: {
        namespace: "bench",
        name: "scorer",
        environment: "production",
        trafficSplit: [{ modelVersionId: version.registerModelVersion.modelVersion.id, percent: 100 }],
      },
    });
    const path = "/v1/deployments/scorer/predict?namespace=bench";
    const idleRssMb = await residentMemoryMb(server.url);
    await httpLoad(server.url, path, body, 16, WARMUP_S);
    for (const clients of CONCURRENCY) {
      const served = await httpLoad(server.url, path, body, clients, DURATION_S);
      results.push({ variant, clients, served, rssMb: await residentMemoryMb(server.url), idleRssMb });
    }
  } finally {
    await server.stop();
  }
}

console.log(`\nraw onnxruntime-node session.run (1 row, this process, RSS ${fmt(rawRssMb, 0)} MiB):`);
for (const clients of CONCURRENCY) {
  const r = raw.get(clients)!;
  console.log(`  ${clients} clients: p50 ${fmt(r.p50, 3)} ms, p99 ${fmt(r.p99, 3)} ms, ${fmt(r.rps, 0)} runs/s`);
}
for (const { variant, clients, served, rssMb, idleRssMb } of results) {
  const r = raw.get(clients)!;
  console.log(
    `Pedigree HTTP predict, ${variant}, ${clients} clients: p50 ${fmt(served.p50, 3)} ms, p99 ${fmt(served.p99, 3)} ms, ` +
      `${fmt(served.rps, 0)} req/s | overhead vs raw: p50 ×${fmt(served.p50 / r.p50, 1)}, p99 ×${fmt(served.p99 / r.p99, 1)}, ` +
      `throughput ×${fmt(r.rps / served.rps, 1)} lower | server RSS ${fmt(rssMb, 0)} MiB (idle ${fmt(idleRssMb, 0)} MiB)`,
  );
}
