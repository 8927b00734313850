import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createScratchDatabase, isPostgresReachable, testPostgresUrl } from "../../server/testing/test-database.js";

/** Where a benchmark runs the server: embedded PGlite in a fresh folder, or a fresh Postgres database. */
export interface BenchTarget {
  name: "embedded" | "postgres";
  env: Record<string, string>;
  /** A postgres:// URL to reach the same data directly (raw SQL baselines); embedded targets start PGlite for it. */
  cleanup(): Promise<void>;
}

export async function benchTargets(): Promise<BenchTarget[]> {
  const dir = mkdtempSync(join(tmpdir(), "pedigree-bench-"));
  const targets: BenchTarget[] = [{ name: "embedded", env: { PEDIGREE_DATA_DIR: dir }, cleanup: async () => {} }];
  if (await isPostgresReachable(testPostgresUrl())) {
    const scratch = await createScratchDatabase();
    targets.push({ name: "postgres", env: { DATABASE_URL: scratch.url }, cleanup: () => scratch.drop() });
  } else {
    console.warn(`Postgres not reachable at ${testPostgresUrl()} (scripts/services.sh up): measuring embedded only.`);
  }
  return targets;
}
