// Issue 7 figure: sustained OpenLineage ingestion (POST /api/v1/lineage). START+COMPLETE pairs of
// one run each, with 3 inputs, 1 output and a schema facet on every dataset, sent
//   - one event per request by CLIENTS concurrent clients (each sends a run's START, then its COMPLETE);
//   - as JSON arrays of BATCH events (a run's START and COMPLETE in the same array);
// on the Postgres server (scripts/services.sh; a scratch database) and embedded (PGlite), while the
// graph projector feeds a Neo4j of the benchmark's own (bench/lib/private-neo4j.ts), whose lag
// (graphProjection.lagSeconds) is sampled every 250 ms during the load.
// The raw engine for comparison: the same events as bare rows, `INSERT … VALUES` of 1,000 events per
// statement straight into openlineage_event of a scratch database (no mapping, no audit, no graph).
//   npm run bench:openlineage -- [--targets postgres,embedded] [--pairs 2000] [--batch 1000] [--clients 64]
//                                [--batch-clients 2] [--neo4j on|off] [--modes single,batched] [--http-floor on|off]
// The HTTP floor for comparison: the same requests to an Express process that only parses each
// body and answers (bench/lib/http-floor-server.ts). Each figure comes with the CPU it cost per
// 1,000 events (server, Postgres, load generator; bench/lib/cpu-time.ts) and how busy the cores were.
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import pg from "pg";
import { recreateBenchDatabase } from "./lib/lineage-postgres.js";
import { privateNeo4jUrl, restartPrivateNeo4jEmpty, stopPrivateNeo4j } from "./lib/private-neo4j.js";
import { type CpuSpent, startCpuWindow } from "./lib/cpu-time.js";
import { startServerProcess } from "./lib/server-process.js";
import { fmt, summarize } from "./lib/stats.js";

const { values: args } = parseArgs({
  options: {
    targets: { type: "string", default: "postgres,embedded" },
    pairs: { type: "string", default: "2000" },
    batch: { type: "string", default: "1000" },
    clients: { type: "string", default: "64" },
    "batch-clients": { type: "string", default: "2" },
    neo4j: { type: "string", default: "on" },
    modes: { type: "string", default: "single,batched" },
    "http-floor": { type: "string", default: "on" },
  },
});
const MODES = args.modes!.split(",").map((mode) => {
  if (mode !== "single" && mode !== "batched") throw new Error(`--modes takes single and/or batched, not ${mode}`);
  return mode;
});
const PAIRS = Number(args.pairs);
const BATCH = Number(args.batch);
const CLIENTS = Number(args.clients);
const BATCH_CLIENTS = Number(args["batch-clients"]);
const PRODUCER = "https://github.com/OpenLineage/OpenLineage/tree/1.0.0/integration/spark";
const SCHEMA_URL = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent";

function schemaFacet(columns: number) {
  return {
    schema: {
      _producer: PRODUCER,
      _schemaURL: "https://openlineage.io/spec/facets/1-1-1/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet",
      fields: Array.from({ length: columns }, (_, i) => ({ name: `col_${i}`, type: i % 2 ? "DOUBLE" : "VARCHAR" })),
    },
  };
}

/** A run's START and COMPLETE: 3 inputs of a pool of 30 raw tables, 1 output of 100 feature tables. */
function pair(i: number, startMs: number) {
  const runId = randomUUID();
  const inputs = [0, 1, 2].map((k) => ({
    namespace: "postgres://warehouse:5432",
    name: `raw.table_${(i + k * 7) % 30}`,
    facets: schemaFacet(8),
  }));
  const outputs = [{ namespace: "s3://lake", name: `features.table_${i % 100}`, facets: schemaFacet(12) }];
  const event = (eventType: string, at: number) => ({
    eventType,
    eventTime: new Date(at).toISOString(),
    producer: PRODUCER,
    schemaURL: SCHEMA_URL,
    run: { runId, facets: {} },
    job: { namespace: "spark", name: `etl.job_${i % 50}`, facets: {} },
    inputs,
    outputs,
  });
  return [event("START", startMs + i * 10), event("COMPLETE", startMs + i * 10 + 5)];
}

async function post(url: string, body: unknown): Promise<number> {
  const response = await fetch(`${url}/api/v1/lineage`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== 201 && response.status !== 207) throw new Error(`${response.status}: ${text.slice(0, 300)}`);
  if (response.status === 207) {
    const failed = (JSON.parse(text) as { summary: { failed: number } }).summary.failed;
    if (failed > 0) throw new Error(`${failed} events of a batch failed: ${text.slice(0, 300)}`);
  }
  return response.status;
}

/** Samples the projection lag until stopped; returns the samples in seconds. */
function sampleLag(url: string) {
  const samples: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const response = await fetch(`${url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "{ graphProjection { configured lagSeconds lagRows } }" }),
      }).catch(() => undefined);
      const body = (await response?.json().catch(() => undefined)) as
        | { data?: { graphProjection: { configured: boolean; lagSeconds: number } } }
        | undefined;
      if (body?.data?.graphProjection.configured) samples.push(body.data.graphProjection.lagSeconds);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return samples;
    },
  };
}

const p99 = (values: number[]) =>
  values.length === 0 ? Number.NaN : [...values].sort((a, b) => a - b)[Math.ceil(values.length * 0.99) - 1]!;

/**
 * Pairs `offset …` of the run, their event times from `startMs` on (10 ms apart), sent to the
 * server process `serverPid` (whose CPU is counted with that of Postgres, Neo4j and this process).
 */
async function measure(url: string, serverPid: number, mode: "single" | "batched", offset: number, startMs: number) {
  const pairs = Array.from({ length: PAIRS }, (_, i) => pair(offset + i, startMs));
  const lag = sampleLag(url);
  const cpu = startCpuWindow(serverPid);
  const started = performance.now();
  const latencies: number[] = [];
  if (mode === "single") {
    let next = 0;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (next < pairs.length) {
          const [start, complete] = pairs[next++]!;
          for (const event of [start, complete]) {
            const t = performance.now();
            await post(url, event);
            latencies.push(performance.now() - t);
          }
        }
      }),
    );
  } else {
    const events = pairs.flat();
    const batches: unknown[][] = [];
    for (let i = 0; i < events.length; i += BATCH) batches.push(events.slice(i, i + BATCH));
    let next = 0;
    await Promise.all(
      Array.from({ length: BATCH_CLIENTS }, async () => {
        while (next < batches.length) {
          const batch = batches[next++]!;
          const t = performance.now();
          await post(url, batch);
          latencies.push(performance.now() - t);
        }
      }),
    );
  }
  const seconds = (performance.now() - started) / 1000;
  const spent = cpu();
  const lagSamples = await lag.stop();
  return {
    cpu: spent,
    eventsPerSecond: (PAIRS * 2) / seconds,
    seconds,
    latency: summarize(latencies),
    lagP99: p99(lagSamples),
    lagSamples: lagSamples.length,
  };
}

/** Where one figure's CPU went, per 1,000 events. */
function cpuLine(cpu: CpuSpent, embedded: boolean): string {
  const per1k = (ms: number) => `${fmt((ms * 1000) / (PAIRS * 2), 0)} ms`;
  const database = embedded ? "" : `, Postgres ${per1k(cpu.postgresMs)}`;
  const neo4j = cpu.neo4jMs > 0 ? `, Neo4j ${per1k(cpu.neo4jMs)}` : "";
  return (
    `CPU per 1,000 events: server ${per1k(cpu.serverMs)}${database}${neo4j}, load generator ${per1k(cpu.clientMs)}; ` +
    `cores busy ${fmt(cpu.machineBusy * 100, 0)}%`
  );
}

/** Spawns bench/lib/http-floor-server.ts and waits for its address. */
async function startHttpFloorProcess(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", fileURLToPath(new URL("./lib/http-floor-server.ts", import.meta.url))],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /http floor at (\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.once("exit", (code) => reject(new Error(`HTTP floor server exited with ${code}: ${output}`)));
  });
  return { url, child };
}

const RAW_NAMESPACE = randomUUID();

/** The floor: the same events stored as bare rows (the migrated table, its indexes), 1,000 per `INSERT … VALUES`, on the same server. */
async function rawInsertRate(): Promise<number> {
  const url = await recreateBenchDatabase("pedigree_bench_openlineage_raw");
  // The migrated table with its indexes.
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    const events = Array.from({ length: PAIRS }, (_, i) => pair(i, Date.UTC(2026, 0, 1))).flat();
    const started = performance.now();
    for (let i = 0; i < events.length; i += 1_000) {
      const params: unknown[] = [];
      const values = events.slice(i, i + 1_000).map((event) => {
        params.push(randomUUID(), randomUUID(), event.eventType, event.eventTime, JSON.stringify(event));
        const n = params.length;
        return `($${n - 4}::uuid, $${n - 3}, 'RUN', $${n - 2}, $${n - 1}::timestamptz, '${RAW_NAMESPACE}'::uuid, $${n}::json)`;
      });
      await pool.query(
        `INSERT INTO openlineage_event (id, event_hash, kind, event_type, event_time, namespace_id, payload) VALUES ${values.join(", ")}`,
        params,
      );
    }
    return events.length / ((performance.now() - started) / 1000);
  } finally {
    await pool.end();
  }
}

async function main() {
  const targets = args.targets!.split(",");
  const withNeo4j = args.neo4j !== "off";
  if (withNeo4j) restartPrivateNeo4jEmpty();
  console.log(`OpenLineage ingestion: ${PAIRS} START+COMPLETE pairs per mode, 3 inputs + 1 output with schema facets,`);
  console.log(
    `${CLIENTS} clients single-event, ${BATCH_CLIENTS} clients × ${BATCH}-event arrays batched; Neo4j projection ${withNeo4j ? "on" : "off"}`,
  );
  try {
    if (targets.includes("postgres")) {
      console.log(
        `postgres  raw SQL   ${fmt(await rawInsertRate(), 0).padStart(6)} events/s  (bare INSERT … VALUES of the events, 1,000 per statement)`,
      );
    }
    if (args["http-floor"] !== "off") {
      const floor = await startHttpFloorProcess();
      try {
        for (const mode of MODES) {
          const result = await measure(floor.url, floor.child.pid!, mode, 0, Date.UTC(2026, 0, 1));
          console.log(
            `HTTP floor ${mode.padEnd(8)}${fmt(result.eventsPerSecond, 0).padStart(6)} events/s  ` +
              `(request p50 ${fmt(result.latency.p50)} ms, p99 ${fmt(result.latency.p99)} ms; ` +
              "Express parses each body and answers, nothing validated or stored)",
          );
          console.log(`${" ".repeat(19)}${cpuLine(result.cpu, false)}`);
        }
      } finally {
        floor.child.kill("SIGTERM");
      }
    }
    for (const target of targets) {
      const dataDir = target === "embedded" ? mkdtempSync(join(tmpdir(), "pedigree-bench-ol-")) : undefined;
      const env: Record<string, string> = {
        PEDIGREE_IN_PROCESS_WORKERS: "off",
        PEDIGREE_GRAPH_PROJECTOR: withNeo4j ? "on" : "off",
        ...(withNeo4j ? { NEO4J_URL: privateNeo4jUrl() } : {}),
        ...(target === "postgres"
          ? { DATABASE_URL: await recreateBenchDatabase("pedigree_bench_openlineage") }
          : { PEDIGREE_DATA_DIR: dataDir! }),
      };
      const server = await startServerProcess(env);
      try {
        // Warm up: namespaces, jobs, datasets and their first versions exist before the clock starts,
        // with event times before those measured (inputs then read the version current at their time).
        const day = 24 * 3600 * 1000;
        await measure(server.url, server.child.pid!, "single", 1_000_000, Date.UTC(2026, 0, 1) - day);
        for (const [index, mode] of MODES.entries()) {
          const result = await measure(
            server.url,
            server.child.pid!,
            mode,
            (index + 1) * PAIRS,
            Date.UTC(2026, 0, 1) + index * day,
          );
          console.log(
            `${target.padEnd(9)} ${mode.padEnd(8)} ${fmt(result.eventsPerSecond, 0).padStart(6)} events/s  ` +
              `(${fmt(result.seconds, 1)} s; request p50 ${fmt(result.latency.p50)} ms, p99 ${fmt(result.latency.p99)} ms; ` +
              `projection lag p99 ${Number.isNaN(result.lagP99) ? "n/a" : `${fmt(result.lagP99, 2)} s`} over ${result.lagSamples} samples)`,
          );
          console.log(`${" ".repeat(19)}${cpuLine(result.cpu, target === "embedded")}`);
        }
      } finally {
        await server.stop();
        if (dataDir) rmSync(dataDir, { recursive: true, force: true });
      }
    }
  } finally {
    if (withNeo4j) stopPrivateNeo4j();
  }
}

await main();
