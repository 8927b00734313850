// logMetrics throughput: batches of 10,000 points through the API, one client and four concurrent
// clients, against the raw INSERT … unnest statement it issues (the ratio shows the API overhead).
import { readFileSync } from "node:fs";
import pg from "pg";
import { startEmbeddedPostgres } from "../server/db/embedded-postgres.js";
import { GraphQLClient } from "../server/demo/graphql-client.js";
import { benchTargets } from "./lib/targets.js";
import { startServerProcess } from "./lib/server-process.js";
import { fmt } from "./lib/stats.js";

const BATCH = 10_000;
const CALLS = Number(process.env.BENCH_LOG_CALLS ?? 20);
const INSERT = readFileSync(new URL("../server/run/queries/insert-metric-points.sql", import.meta.url), "utf8");

const points = (call: number) =>
  Array.from({ length: BATCH }, (_, i) => ({ key: i % 2 ? "loss" : "accuracy", value: Math.random(), step: call * BATCH + i }));

for (const target of await benchTargets()) {
  const server = await startServerProcess(target.env);
  const api = new GraphQLClient(`${server.url}/graphql`);
  const newRun = async () =>
    (await api.request(`mutation { startRun(input: { namespace: "bench", job: "log" }) { run { id } } }`)).startRun.run
      .id as string;
  const payloads = Array.from({ length: CALLS }, (_, call) => points(call));

  const single = await newRun();
  let started = performance.now();
  for (const batch of payloads)
    await api.request(`mutation($input: LogMetricsInput!) { logMetrics(input: $input) { accepted } }`, {
      input: { runId: single, points: batch },
    });
  const singleRate = (CALLS * BATCH) / ((performance.now() - started) / 1_000);

  const runs = await Promise.all([newRun(), newRun(), newRun(), newRun()]);
  started = performance.now();
  await Promise.all(
    runs.map(async (runId, client) => {
      for (let call = client; call < CALLS; call += runs.length) {
        await api.request(`mutation($input: LogMetricsInput!) { logMetrics(input: $input) { accepted } }`, {
          input: { runId, points: payloads[call] },
        });
      }
    }),
  );
  const concurrentRate = (CALLS * BATCH) / ((performance.now() - started) / 1_000);
  const runKey = Buffer.from(single, "base64url").toString().split(":")[1]!;
  await server.stop();

  const embedded = target.name === "embedded" ? await startEmbeddedPostgres(`${target.env.PEDIGREE_DATA_DIR}`) : undefined;
  const pool = new pg.Pool({ connectionString: embedded?.url ?? target.env.DATABASE_URL, max: 1 });
  started = performance.now();
  for (const batch of payloads) {
    await pool.query(INSERT, [
      runKey,
      batch.map((p) => p.key),
      batch.map((p) => p.value),
      batch.map((p) => p.step),
      batch.map(() => new Date()),
    ]);
  }
  const sqlRate = (CALLS * BATCH) / ((performance.now() - started) / 1_000);
  await pool.end();
  await embedded?.close();
  await target.cleanup();

  console.log(`[${target.name}] logMetrics, 1 client, ${BATCH}-point batches: ${fmt(singleRate, 0)} points/s`);
  console.log(`[${target.name}] logMetrics, 4 clients: ${fmt(concurrentRate, 0)} points/s`);
  console.log(
    `[${target.name}] raw INSERT … unnest, same batches: ${fmt(sqlRate, 0)} points/s (API at ${fmt((singleRate / sqlRate) * 100, 0)}% of raw SQL)`,
  );
}
