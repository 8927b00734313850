// Audit trail figures (issue 5): the append rate of hash-chained audit events written the way
// ChangeRecorder writes them (one transaction per change, chain lock + head read + insert) against
// plain inserts, and verifyAuditChain's speed over a chain of BENCH_AUDIT_EVENTS events (default 1M)
// on the Postgres server. Appends are measured on BENCH_AUDIT_APPENDS transactions; the rest of the
// chain is bulk-loaded with the same hash function (one transaction per event would take hours here).
import { randomUUID } from "node:crypto";
import { AuditEventRepository } from "../server/audit/audit-event.repository.js";
import { AuditEventService } from "../server/audit/audit-event.service.js";
import type { NewAuditEvent } from "../server/audit/audit-event.js";
import { lockChangeOrder } from "../server/db/change-order-lock.js";
import { type Database, openDatabase } from "../server/db/database.js";
import { runInTransaction } from "../server/db/transaction.js";
import { recreateBenchDatabase } from "./lib/lineage-postgres.js";
import { extendAuditChain } from "./lib/audit-chain-loader.js";
import { fmt } from "./lib/stats.js";

const TOTAL = Number(process.env.BENCH_AUDIT_EVENTS ?? 1_000_000);
const APPENDS = Number(process.env.BENCH_AUDIT_APPENDS ?? 2_000);
const CONCURRENCY = [1, 8];

/** A change as services record it: a dataset version registered, with its snapshot. */
function sampleEvent(i: number): NewAuditEvent {
  return {
    occurredAt: new Date(),
    actor: `user-${i % 50}`,
    action: "dataset_version.registered",
    targetType: "DatasetVersion",
    targetId: randomUUID(),
    namespaceId: "6f1c1b1e-8a43-4c36-9d7c-1f2e3d4c5b6a",
    before: null,
    after: {
      id: randomUUID(),
      version: `v${i}`,
      uri: `s3://bucket/datasets/churn/v${i}/part-0000.parquet`,
      rowCount: 1_000_000 + i,
      sizeBytes: 52_428_800,
      schema: {
        fields: [
          { name: "age", type: "int" },
          { name: "plan", type: "string" },
        ],
      },
      createdAt: new Date().toISOString(),
    },
    requestId: randomUUID(),
    clientAddress: "10.0.0.7",
  };
}

/**
 * plain: the row alone; locked: the row under the chain/outbox lock (what a change paid before the
 * chain: ChangeRecorder already took that lock for the outbox row); chained: AuditEventRepository.append.
 */
type AppendMode = "plain" | "locked" | "chained";

async function appendRate(db: Database, mode: AppendMode, concurrency: number, count: number): Promise<number> {
  const repository = new AuditEventRepository(db);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const event = sampleEvent(next++);
        await runInTransaction(db, async (tx) => {
          if (mode === "chained") {
            await repository.append(tx, event);
          } else {
            if (mode === "locked") await lockChangeOrder(tx);
            await tx.auditEvent.create({
              data: { ...event, namespaceId: event.namespaceId ?? null, before: undefined, after: event.after as object },
            });
          }
        });
      }
    }),
  );
  return count / ((performance.now() - started) / 1_000);
}

/** Extends the chain to `total` events with multi-row inserts; returns events/s. */
function bulkExtend(db: Database, total: number): Promise<number> {
  const base = Date.now();
  return extendAuditChain(db.pool, total, (sequence) => {
    const event = sampleEvent(sequence - 1);
    return {
      occurredAt: new Date(base + sequence),
      actor: event.actor,
      tokenId: null,
      role: null,
      action: event.action,
      targetType: event.targetType,
      targetId: event.targetId,
      namespaceId: event.namespaceId ?? null,
      before: null,
      after: event.after,
      requestId: event.requestId,
      clientAddress: event.clientAddress ?? null,
    };
  });
}

async function main(): Promise<void> {
  const chainedUrl = await recreateBenchDatabase("pedigree_bench_audit");
  const plainUrl = await recreateBenchDatabase("pedigree_bench_audit_plain");
  const chainedDb = await openDatabase({ url: chainedUrl, dataDir: undefined, poolSize: 10 });
  const plainDb = await openDatabase({ url: plainUrl, dataDir: undefined, poolSize: 10 });
  try {
    const appends: Array<{ concurrency: number } & Record<AppendMode, number>> = [];
    for (const concurrency of CONCURRENCY) {
      const plain = await appendRate(plainDb, "plain", concurrency, APPENDS);
      const locked = await appendRate(plainDb, "locked", concurrency, APPENDS);
      const chained = await appendRate(chainedDb, "chained", concurrency, APPENDS);
      appends.push({ concurrency, plain, locked, chained });
      console.log(`append, ${concurrency} writer(s): ${fmt(plain, 0)} / ${fmt(locked, 0)} / ${fmt(chained, 0)} events/s`);
    }
    const loadRate = await bulkExtend(chainedDb, TOTAL);
    await chainedDb.pool.query("VACUUM ANALYZE audit_event");
    const size = await chainedDb.pool.query<{ size: string }>(
      "SELECT pg_size_pretty(pg_total_relation_size('audit_event')) AS size",
    );
    const service = new AuditEventService(new AuditEventRepository(chainedDb));
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    }, 200);
    const started = performance.now();
    const result = await service.verifyChain({});
    const seconds = (performance.now() - started) / 1_000;
    clearInterval(sampler);
    if (!result.ok || result.eventsChecked !== TOTAL) throw new Error(`unexpected verification ${JSON.stringify(result)}`);

    console.log(`\nAudit chain on Postgres, ${TOTAL.toLocaleString("en")} events (${size.rows[0]!.size})`);
    console.log("| writers | plain insert | insert under the outbox lock | hash-chained append |");
    for (const row of appends) {
      console.log(`| ${row.concurrency} | ${fmt(row.plain, 0)} | ${fmt(row.locked, 0)} | ${fmt(row.chained, 0)} |`);
    }
    console.log(`bulk chain load: ${fmt(loadRate, 0)} events/s`);
    console.log(
      `verifyAuditChain: ${fmt(seconds, 1)} s, ${fmt(TOTAL / seconds, 0)} events/s, RSS ${fmt(rssBefore / 2 ** 20, 0)} → peak ${fmt(rssPeak / 2 ** 20, 0)} MiB`,
    );
  } finally {
    await chainedDb.close();
    await plainDb.close();
  }
}

await main();
