// Cold start to first answered query, embedded (PGlite) and Postgres: process spawn → migrations →
// HTTP listening → first GraphQL answer. "cold" = empty data folder / database, "warm" = restart.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createScratchDatabase, isPostgresReachable, testPostgresUrl } from "../server/testing/test-database.js";
import { startServerProcess } from "./lib/server-process.js";
import { fmt, median } from "./lib/stats.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);

async function measure(label: string, prepare: () => Promise<{ env: Record<string, string>; cleanup: () => Promise<void> }>) {
  const cold: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const { env, cleanup } = await prepare();
    const first = await startServerProcess(env);
    cold.push(first.startMs);
    await first.stop();
    const second = await startServerProcess(env);
    warm.push(second.startMs);
    await second.stop();
    await cleanup();
  }
  console.log(
    `cold start ${label}: cold median ${fmt(median(cold), 0)} ms [${cold.map((v) => fmt(v, 0)).join(", ")}], warm median ${fmt(median(warm), 0)} ms [${warm.map((v) => fmt(v, 0)).join(", ")}]`,
  );
}

await measure("embedded", async () => {
  const dir = mkdtempSync(join(tmpdir(), "pedigree-cold-"));
  return { env: { PEDIGREE_DATA_DIR: dir }, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
});
if (await isPostgresReachable(testPostgresUrl())) {
  await measure("postgres", async () => {
    const scratch = await createScratchDatabase();
    return { env: { DATABASE_URL: scratch.url }, cleanup: () => scratch.drop() };
  });
} else {
  console.warn("Postgres not reachable (scripts/services.sh up): embedded only.");
}
