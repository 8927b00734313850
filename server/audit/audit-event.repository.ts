import type { Database } from "../db/database.js";
import type { Transaction } from "../db/transaction.js";
import type { NodeKind } from "../graphql/node-id.js";
import type { PageQuery } from "../lib/paginate.js";
import { seesNoNamespace } from "../lib/visible-namespaces.js";
import { lockChangeOrder, lockChangeOrderIn } from "../db/change-order-lock.js";
import type { SqlSession } from "../db/sql-session.js";
import canonicalize from "canonicalize";
import {
  type AuditDocumentTemplate,
  type ChainedAuditContent,
  GENESIS_HASH,
  auditDocumentTemplate,
  auditEventHash,
  chainedAuditHash,
} from "./audit-chain.js";
import type { AuditEvent, AuditEventFilter, ChainedAuditEvent, NewAuditEvent } from "./audit-event.js";
import { toAuditJson } from "./audit-json.js";
import { rowSource } from "../db/row-source.js";

interface AuditRow {
  id: bigint | number;
  occurredAt: Date;
  actor: string;
  action: string;
  targetType: string;
  targetId: string;
  namespaceId: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
  clientAddress: string | null;
}

export interface ChainRow extends AuditRow {
  tokenId: string | null;
  role: string | null;
  sequence: bigint | number | string | null;
  prevHash: string | null;
  hash: string | null;
}

const CHAIN_PAGE_SQL = `
  SELECT id, occurred_at AS "occurredAt", actor, token_id AS "tokenId", role, action, target_type AS "targetType",
         target_id AS "targetId", namespace_id AS "namespaceId", before, after, request_id AS "requestId",
         client_address AS "clientAddress", sequence, prev_hash AS "prevHash", hash
  FROM audit_event
  WHERE id > $1::int8 AND id <= $2::int8
  ORDER BY id
  LIMIT $3`;

/** Columns of a chained audit row, as `appendPrepared` writes them. */
const AUDIT_ROW_COLUMNS = [
  { name: "occurred_at", type: "timestamptz" },
  { name: "actor", type: "text" },
  { name: "token_id", type: "uuid" },
  { name: "role", type: "text" },
  { name: "action", type: "text" },
  { name: "target_type", type: "text" },
  { name: "target_id", type: "text" },
  { name: "namespace_id", type: "uuid" },
  { name: "before", type: "jsonb" },
  { name: "after", type: "jsonb" },
  { name: "request_id", type: "text" },
  { name: "client_address", type: "text" },
  { name: "prev_hash", type: "text" },
  { name: "hash", type: "text" },
  { name: "sequence", type: "int8" },
];

/** What the hash of an event covers, but for its place in the chain. */
function unchainedContent(event: NewAuditEvent): Omit<ChainedAuditContent, "sequence"> {
  return {
    occurredAt: event.occurredAt,
    actor: event.actor,
    tokenId: event.tokenId ?? null,
    role: event.role ?? null,
    action: event.action,
    targetType: event.targetType,
    targetId: event.targetId,
    namespaceId: event.namespaceId ?? null,
    before: toAuditJson(event.before),
    after: toAuditJson(event.after),
    requestId: event.requestId,
    clientAddress: event.clientAddress ?? null,
  };
}

/** What the hash of event number `sequence` covers. */
function chainedContent(event: NewAuditEvent, sequence: number): ChainedAuditContent {
  return { sequence, ...unchainedContent(event) };
}

/** An audit event canonicalized for the chain, waiting for its place in it (`appendPrepared`). */
export interface PreparedAuditEvent {
  content: Omit<ChainedAuditContent, "sequence">;
  template: AuditDocumentTemplate;
  /** The snapshots as canonical JSON text (what the jsonb columns get). */
  beforeJson: string | null;
  afterJson: string | null;
}

/** The work of appending an event that does not need the chain's head: done before taking its lock. */
export function prepareAuditEvent(event: NewAuditEvent): PreparedAuditEvent {
  const content = unchainedContent(event);
  const json = (value: unknown) => (value === null || value === undefined ? null : (canonicalize(value) ?? null));
  const beforeJson = json(content.before);
  const afterJson = json(content.after);
  const template = auditDocumentTemplate(content, { before: beforeJson ?? "null", after: afterJson ?? "null" });
  return { content, template, beforeJson, afterJson };
}

/** A stored row (from Prisma or plain SQL) as an event with its chain fields. */
export function toChainedAuditEvent(row: ChainRow): ChainedAuditEvent {
  return {
    ...toAuditEvent(row),
    tokenId: row.tokenId,
    role: row.role,
    sequence: row.sequence === null ? null : Number(row.sequence),
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

function toAuditEvent(row: AuditRow): AuditEvent {
  return {
    id: Number(row.id),
    occurredAt: row.occurredAt,
    actor: row.actor,
    action: row.action,
    targetType: row.targetType as NodeKind,
    targetId: row.targetId,
    namespaceId: row.namespaceId,
    before: row.before as Record<string, unknown> | null,
    after: row.after as Record<string, unknown> | null,
    requestId: row.requestId,
    clientAddress: row.clientAddress,
  };
}

function whereOf(filter: AuditEventFilter): Record<string, unknown> {
  return {
    ...(filter.targetType ? { targetType: filter.targetType } : {}),
    ...(filter.targetId ? { targetId: filter.targetId } : {}),
    ...(filter.actor ? { actor: filter.actor } : {}),
    ...(filter.action ? { action: filter.action } : {}),
    ...(filter.namespaceId ? { namespaceId: filter.namespaceId } : {}),
    ...(filter.since || filter.until
      ? { occurredAt: { ...(filter.since ? { gte: filter.since } : {}), ...(filter.until ? { lt: filter.until } : {}) } }
      : {}),
    // Under AND: the namespaceId filter above takes the key. IN leaves out events of no namespace.
    ...(filter.visibleNamespaceIds ? { AND: [{ namespaceId: { in: [...filter.visibleNamespaceIds] } }] } : {}),
  };
}

export class AuditEventRepository {
  constructor(private readonly db: Database) {}

  /**
   * Appends `event` as the chain's next link. The advisory lock serializes appenders until their
   * commit, so the head read here is the last committed event and ids grow in chain order; the
   * unique sequence makes any writer that bypassed the lock fail instead of forking the chain.
   */
  async append(tx: Transaction, event: NewAuditEvent): Promise<void> {
    await lockChangeOrder(tx);
    const head = await tx.auditEvent.findFirst({ orderBy: { id: "desc" }, select: { sequence: true, hash: true } });
    const prevHash = head?.hash ?? GENESIS_HASH;
    const content = chainedContent(event, Number(head?.sequence ?? 0n) + 1);
    await tx.auditEvent.create({
      data: {
        ...content,
        sequence: BigInt(content.sequence),
        before: (content.before ?? undefined) as object | undefined,
        after: (content.after ?? undefined) as object | undefined,
        prevHash,
        hash: auditEventHash(content, prevHash),
      },
    });
  }

  /**
   * Appends `events` as the chain's next links, in order, with one head read and one insert: a
   * batch writer (OpenLineage ingestion) pays for the chain once, not once per event. Same lock
   * and sequence rules as `append`.
   */
  async appendMany(session: SqlSession, events: readonly NewAuditEvent[]): Promise<void> {
    await this.appendPrepared(session, events.map(prepareAuditEvent));
  }

  /**
   * `appendMany` for events canonicalized beforehand (`prepareAuditEvent`): under the lock only the
   * head is read and each link's sequence and previous hash filled in.
   */
  async appendPrepared(session: SqlSession, events: readonly PreparedAuditEvent[]): Promise<void> {
    if (events.length === 0) return;
    await lockChangeOrderIn(session);
    const [head] = await session.query<{ sequence: string | bigint | null; hash: string | null }>(
      "SELECT sequence, hash FROM audit_event ORDER BY id DESC LIMIT 1",
    );
    let prevHash = head?.hash ?? GENESIS_HASH;
    let sequence = Number(head?.sequence ?? 0);
    const rows = events.map((event) => {
      sequence += 1;
      const hash = chainedAuditHash(event.template, sequence, prevHash);
      const row = { event, sequence, prevHash, hash };
      prevHash = hash;
      return row;
    });
    const source = rowSource(
      AUDIT_ROW_COLUMNS,
      rows.map(({ event: { content, beforeJson, afterJson }, sequence, prevHash, hash }) => [
        content.occurredAt,
        content.actor,
        content.tokenId,
        content.role,
        content.action,
        content.targetType,
        content.targetId,
        content.namespaceId,
        beforeJson,
        afterJson,
        content.requestId,
        content.clientAddress,
        prevHash,
        hash,
        sequence,
      ]),
    );
    // In sequence order, so that ids follow the chain.
    await session.execute(
      `INSERT INTO audit_event (${AUDIT_ROW_COLUMNS.map((column) => column.name).join(", ")})
       SELECT ${source.select} FROM ${source.from} ORDER BY ${source.position}`,
      source.params,
    );
  }

  /**
   * Id span of the events that occurred in [from, to) (either end open), or undefined when none did.
   * Verification checks every event in the span in id order.
   */
  async idSpan(from: Date | undefined, to: Date | undefined): Promise<{ firstId: bigint; lastId: bigint } | undefined> {
    const occurredAt = { ...(from ? { gte: from } : {}), ...(to ? { lt: to } : {}) };
    const span = await this.db.prisma.auditEvent.aggregate({ where: { occurredAt }, _min: { id: true }, _max: { id: true } });
    if (span._min.id === null || span._max.id === null) return undefined;
    return { firstId: span._min.id, lastId: span._max.id };
  }

  /** The event just before id `id` (the link a range verification starts from). */
  async chainLinkBefore(id: bigint): Promise<{ id: bigint; sequence: number | null; hash: string | null } | undefined> {
    const row = await this.db.prisma.auditEvent.findFirst({
      where: { id: { lt: id } },
      orderBy: { id: "desc" },
      select: { id: true, sequence: true, hash: true },
    });
    return row ? { id: row.id, sequence: row.sequence === null ? null : Number(row.sequence), hash: row.hash } : undefined;
  }

  /**
   * Up to `limit` events with `afterId` < id <= `lastId`, in id order, with their chain fields.
   * Plain SQL on the pool: verification reads the whole table, and the generated client's row
   * decoding costs more than the hashing.
   */
  async chainPage(afterId: bigint, lastId: bigint, limit: number): Promise<ChainedAuditEvent[]> {
    const { rows } = await this.db.pool.query<ChainRow>(CHAIN_PAGE_SQL, [afterId.toString(), lastId.toString(), limit]);
    return rows.map(toChainedAuditEvent);
  }

  /** Audit events page; `id` orders them (it is the append order). */
  async list(filter: AuditEventFilter, query: PageQuery): Promise<AuditEvent[]> {
    if (seesNoNamespace(filter.visibleNamespaceIds)) return [];
    const where = { AND: [whereOf(filter), ...(query.afterWhere ? [query.afterWhere] : [])] };
    const rows = await this.db.prisma.auditEvent.findMany({
      where: where as never,
      orderBy: query.orderBy as never,
      take: query.take,
    });
    return rows.map(toAuditEvent);
  }

  async count(filter: AuditEventFilter): Promise<number> {
    if (seesNoNamespace(filter.visibleNamespaceIds)) return 0;
    return this.db.prisma.auditEvent.count({ where: whereOf(filter) as never });
  }

  async findByIds(ids: readonly string[]): Promise<AuditEvent[]> {
    const rows = await this.db.prisma.auditEvent.findMany({ where: { id: { in: ids.map((id) => BigInt(id)) } } });
    return rows.map(toAuditEvent);
  }
}
