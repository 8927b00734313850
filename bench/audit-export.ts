// Audit export figures (issue 5): time to export BENCH_EXPORT_EVENTS audit events (default 1M) as
// CSV and as JSONL through the export worker's code (runExport: keyset pages, hashing while
// writing, the chain verified in the same pass, manifest.json) on the Postgres server, with events/s,
// file size and the process's peak RSS. The chain is bulk-loaded once into its own database with
// the application's hash function (one transaction per event would take hours) and reused by later
// runs while it holds enough events (BENCH_EXPORT_RELOAD=1 starts over).
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../server/config.js";
import { type Database, openDatabase } from "../server/db/database.js";
import { createEventBus } from "../server/events/event-bus.js";
import { createLogger } from "../server/lib/logger.js";
import { LineageRuntime } from "../server/lineage/lineage-runtime.js";
import { QueueRuntime } from "../server/queue/queue-runtime.js";
import { createRepositories } from "../server/repositories.js";
import { createServices } from "../server/services.js";
import { runExport } from "../workers/processors/export.processor.js";
import { benchDatabaseUrl, databaseExists, recreateBenchDatabase } from "./lib/lineage-postgres.js";
import { extendAuditChain } from "./lib/audit-chain-loader.js";
import { fmt } from "./lib/stats.js";

const TOTAL = Number(process.env.BENCH_EXPORT_EVENTS ?? 1_000_000);
const DATABASE = "pedigree_bench_export";
const FORMATS = (process.env.BENCH_EXPORT_FORMATS ?? "CSV,JSONL").split(",") as Array<"CSV" | "JSONL">;

/** Extends the chain to `total` events (a dataset version snapshot per event, as bench/audit.ts). */
async function extendChain(db: Database, total: number): Promise<void> {
  const base = Date.now() - total;
  await extendAuditChain(db.pool, total, (sequence) => ({
    occurredAt: new Date(base + sequence),
    actor: `user-${sequence % 50}@example.com`,
    tokenId: null,
    role: null,
    action: "dataset_version.registered",
    targetType: "DatasetVersion",
    targetId: randomUUID(),
    namespaceId: "6f1c1b1e-8a43-4c36-9d7c-1f2e3d4c5b6a",
    before: null,
    after: {
      version: `v${sequence}`,
      uri: `s3://bucket/datasets/churn/v${sequence}/part-0000.parquet`,
      description: 'nightly load, "full" refresh',
      rowCount: 1_000_000 + sequence,
      schema: {
        fields: [
          { name: "age", type: "int" },
          { name: "plan", type: "string" },
        ],
      },
    },
    requestId: randomUUID(),
    clientAddress: "10.0.0.7",
  }));
  await db.pool.query("VACUUM ANALYZE audit_event");
}

async function main(): Promise<void> {
  const reuse = process.env.BENCH_EXPORT_RELOAD !== "1" && (await databaseExists(DATABASE));
  const url = reuse ? benchDatabaseUrl(DATABASE) : await recreateBenchDatabase(DATABASE);
  const db = await openDatabase({ url, dataDir: undefined, poolSize: 4 });
  const exportDir = await mkdtemp(join(tmpdir(), "pedigree-bench-export-"));
  const logger = createLogger("warn");
  const config = { ...loadConfig({}), databaseUrl: url, exports: { dir: exportDir, ttlHours: 1 } };
  const repos = createRepositories(db);
  const lineage = new LineageRuntime(db, config, logger);
  const queues = new QueueRuntime({ redisUrl: undefined, databaseUrl: url, dataDir: undefined }, repos.queueJobs, logger);
  const events = createEventBus({ redisUrl: undefined }, logger);
  const services = createServices(db, repos, lineage, queues, events, undefined, {
    monitorIntervalMs: 0,
    exports: config.exports,
  });
  try {
    await extendChain(db, TOTAL);
    const size = await db.pool.query<{ size: string }>("SELECT pg_size_pretty(pg_total_relation_size('audit_event')) AS size");
    console.log(`Audit export on Postgres, ${TOTAL.toLocaleString("en")} events (${size.rows[0]!.size}), pages of 5,000`);
    console.log("| format | time (s) | events/s | file size (MiB) | peak RSS (MiB) | progress reports | chain verified |");
    for (const format of FORMATS) {
      const row = await db.prisma.complianceExport.create({
        data: { kind: "AUDIT_LOG", formats: [format], requestedBy: "bench", expiresAt: new Date(Date.now() + 3_600_000) },
      });
      // Each export appends its export.completed event, so a later export holds a few more.
      const { rows } = await db.pool.query<{ count: number }>("SELECT count(*)::int AS count FROM audit_event");
      const expected = rows[0]!.count;
      let reports = 0;
      const rssBefore = process.memoryUsage().rss;
      let rssPeak = rssBefore;
      const sampler = setInterval(() => {
        rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
      }, 100);
      const started = performance.now();
      // The export job's own code path, without the queue around it (the job record is not needed here).
      const result = await runExport(
        services,
        { exportId: row.id },
        {
          jobId: randomUUID(),
          attempt: 1,
          dueAt: new Date(),
          reportProgress: async () => {
            reports += 1;
          },
        },
      );
      const seconds = (performance.now() - started) / 1_000;
      clearInterval(sampler);
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
      const finished = await services.exports.findById(row.id);
      const manifest = finished!.manifest as { count: number; chainVerification: { ok: boolean; eventsChecked: number } };
      if (manifest.count !== expected || !manifest.chainVerification.ok)
        throw new Error(`unexpected manifest ${JSON.stringify(manifest)}`);
      const dataFile = result.files[0]!;
      console.log(
        `| ${format} | ${fmt(seconds, 1)} | ${fmt(expected / seconds, 0)} | ${fmt(dataFile.sizeBytes / 2 ** 20, 0)} | ` +
          `${fmt(rssBefore / 2 ** 20, 0)} → ${fmt(rssPeak / 2 ** 20, 0)} | ${reports} | ${manifest.chainVerification.eventsChecked} ok |`,
      );
      await rm(join(exportDir, row.id), { recursive: true, force: true });
    }
  } finally {
    await rm(exportDir, { recursive: true, force: true });
    await events.close();
    await queues.close();
    await lineage.close();
    await db.close();
  }
}

await main();
