import type { ChainedAuditEvent } from "../audit/audit-event.js";
import type { Database } from "../db/database.js";
import type { NodeKind } from "../graphql/node-id.js";

/** Which audit events an export holds; row keys (not global ids) and ISO times, as stored on the export. */
export interface AuditExportFilter {
  /** Inclusive, ISO 8601. */
  since?: string | undefined;
  /** Exclusive, ISO 8601. */
  until?: string | undefined;
  actor?: string | undefined;
  action?: string | undefined;
  targetType?: string | undefined;
  /** The target's row key (with targetType). */
  targetId?: string | undefined;
  namespaceId?: string | undefined;
}

/** What a page of the export reads: every chained column of an audit event. */
export type ExportedAuditEvent = ChainedAuditEvent;

const COLUMNS = `id, occurred_at AS "occurredAt", actor, token_id AS "tokenId", role, action, target_type AS "targetType",
  target_id AS "targetId", namespace_id AS "namespaceId", before, after, request_id AS "requestId",
  client_address AS "clientAddress", sequence, prev_hash AS "prevHash", hash`;

/** SQL conditions of a filter, with their parameters numbered from `offset` + 1. */
function conditionsOf(filter: AuditExportFilter, offset: number): { sql: string[]; values: unknown[] } {
  const sql: string[] = [];
  const values: unknown[] = [];
  const add = (condition: (placeholder: string) => string, value: unknown) => {
    values.push(value);
    sql.push(condition(`$${offset + values.length}`));
  };
  if (filter.since) add((p) => `occurred_at >= ${p}::timestamptz`, filter.since);
  if (filter.until) add((p) => `occurred_at < ${p}::timestamptz`, filter.until);
  if (filter.actor) add((p) => `actor = ${p}`, filter.actor);
  if (filter.action) add((p) => `action = ${p}`, filter.action);
  if (filter.targetType) add((p) => `target_type = ${p}`, filter.targetType);
  if (filter.targetId) add((p) => `target_id = ${p}`, filter.targetId);
  if (filter.namespaceId) add((p) => `namespace_id = ${p}::uuid`, filter.namespaceId);
  return { sql, values };
}

/** True when the filter selects every event (the export is then one contiguous stretch of the chain). */
export function selectsWholeChain(filter: AuditExportFilter): boolean {
  return conditionsOf(filter, 0).sql.length === 0;
}

/**
 * Reads the audit events an export holds, in id order (which is chain order: ids are drawn under
 * the chain lock), page by page with a keyset on id so that memory stays flat however many match.
 * Plain SQL on the pool, as verification reads the chain: the generated client's row decoding
 * costs more than the writing.
 */
export class AuditExportRepository {
  constructor(private readonly db: Database) {}

  /**
   * How many events match and the highest id among them, read once at the start: events appended
   * while the export runs are not part of it, so the count in the manifest is exact.
   */
  async snapshot(filter: AuditExportFilter): Promise<{ count: number; lastId: number }> {
    const { sql, values } = conditionsOf(filter, 0);
    const where = sql.length ? `WHERE ${sql.join(" AND ")}` : "";
    const { rows } = await this.db.pool.query<{ count: number; lastId: number | null }>(
      `SELECT count(*)::int8 AS count, max(id) AS "lastId" FROM audit_event ${where}`,
      values,
    );
    return { count: Number(rows[0]?.count ?? 0), lastId: Number(rows[0]?.lastId ?? 0) };
  }

  /** Up to `limit` matching events with `afterId` < id <= `lastId`, in id order. */
  async page(filter: AuditExportFilter, afterId: number, lastId: number, limit: number): Promise<ExportedAuditEvent[]> {
    const { sql, values } = conditionsOf(filter, 3);
    const where = ["id > $1::int8", "id <= $2::int8", ...sql].join(" AND ");
    const { rows } = await this.db.pool.query<ExportedAuditEvent & { targetType: NodeKind }>(
      `SELECT ${COLUMNS} FROM audit_event WHERE ${where} ORDER BY id LIMIT $3`,
      [afterId, lastId, limit, ...values],
    );
    return rows;
  }
}
