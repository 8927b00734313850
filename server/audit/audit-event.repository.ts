import type { Database } from "../db/database.js";
import type { Transaction } from "../db/transaction.js";
import type { NodeKind } from "../graphql/node-id.js";
import type { PageQuery } from "../lib/paginate.js";
import type { AuditEvent, AuditEventFilter, NewAuditEvent } from "./audit-event.js";
import { toAuditJson } from "./audit-json.js";

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
  };
}

export class AuditEventRepository {
  constructor(private readonly db: Database) {}

  async append(tx: Transaction, event: NewAuditEvent): Promise<void> {
    await tx.auditEvent.create({
      data: {
        occurredAt: event.occurredAt,
        actor: event.actor,
        action: event.action,
        targetType: event.targetType,
        targetId: event.targetId,
        namespaceId: event.namespaceId ?? null,
        before: (toAuditJson(event.before) ?? undefined) as object | undefined,
        after: (toAuditJson(event.after) ?? undefined) as object | undefined,
        requestId: event.requestId,
        clientAddress: event.clientAddress ?? null,
      },
    });
  }

  /** Audit events page; `id` orders them (it is the append order). */
  async list(filter: AuditEventFilter, query: PageQuery): Promise<AuditEvent[]> {
    const where = { AND: [whereOf(filter), ...(query.afterWhere ? [query.afterWhere] : [])] };
    const rows = await this.db.prisma.auditEvent.findMany({
      where: where as never,
      orderBy: query.orderBy as never,
      take: query.take,
    });
    return rows.map(toAuditEvent);
  }

  count(filter: AuditEventFilter): Promise<number> {
    return this.db.prisma.auditEvent.count({ where: whereOf(filter) as never });
  }

  async findByIds(ids: readonly string[]): Promise<AuditEvent[]> {
    const rows = await this.db.prisma.auditEvent.findMany({ where: { id: { in: ids.map((id) => BigInt(id)) } } });
    return rows.map(toAuditEvent);
  }
}
