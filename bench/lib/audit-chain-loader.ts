import type pg from "pg";
import { GENESIS_HASH, auditEventHash, type ChainedAuditContent } from "../../server/audit/audit-chain.js";
import { loadProgress } from "./progress.js";

const LOAD_BATCH = 5_000;

/**
 * Extends the audit chain to `total` events with multi-row inserts, hashing each event with the
 * chain's own function (one transaction per event would take hours at 1M). `eventAt(sequence)`
 * gives each new event's content. Returns events/s of the load (0 when the chain is long enough).
 */
export async function extendAuditChain(
  pool: pg.Pool,
  total: number,
  eventAt: (sequence: number) => Omit<ChainedAuditContent, "sequence">,
): Promise<number> {
  const { rows } = await pool.query<{ sequence: number | null; hash: string | null }>(
    "SELECT sequence, hash FROM audit_event ORDER BY id DESC LIMIT 1",
  );
  let sequence = Number(rows[0]?.sequence ?? 0);
  let prevHash = rows[0]?.hash ?? GENESIS_HASH;
  const toLoad = total - sequence;
  if (toLoad <= 0) return 0;
  const progress = loadProgress("audit events", toLoad, "events");
  const started = performance.now();
  let busyMs = 0;
  for (let loaded = 0; loaded < toLoad; ) {
    const batch = Math.min(LOAD_BATCH, toLoad - loaded);
    const columns: unknown[][] = Array.from({ length: 12 }, () => []);
    for (let j = 0; j < batch; j += 1) {
      sequence += 1;
      const content: ChainedAuditContent = { sequence, ...eventAt(sequence) };
      const hash = auditEventHash(content, prevHash);
      const values = [
        content.occurredAt,
        content.actor,
        content.action,
        content.targetType,
        content.targetId,
        content.namespaceId,
        JSON.stringify(content.after),
        content.requestId,
        content.clientAddress,
        sequence,
        prevHash,
        hash,
      ];
      for (const [column, value] of values.entries()) columns[column]!.push(value);
      prevHash = hash;
    }
    const insertStarted = performance.now();
    await pool.query(
      `INSERT INTO audit_event (occurred_at, actor, action, target_type, target_id, namespace_id, after, request_id,
                                client_address, sequence, prev_hash, hash)
       SELECT o, a, ac, tt, ti, ns, af::jsonb, r, c, s, p, h
       FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::uuid[], $7::text[], $8::text[],
                   $9::text[], $10::int8[], $11::text[], $12::text[]) AS t(o, a, ac, tt, ti, ns, af, r, c, s, p, h)`,
      columns,
    );
    busyMs += performance.now() - insertStarted;
    loaded += batch;
    progress.update(loaded, busyMs);
  }
  progress.stop();
  return toLoad / ((performance.now() - started) / 1_000);
}
