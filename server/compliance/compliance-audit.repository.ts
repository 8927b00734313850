import type { ChainedAuditEvent } from "../audit/audit-event.js";
import { toChainedAuditEvent } from "../audit/audit-event.repository.js";
import type { Database } from "../db/database.js";
import type { NodeKind } from "../graphql/node-id.js";

/** A node whose audit events a report quotes. */
export interface AuditTarget {
  kind: NodeKind;
  id: string;
}

/** Targets per statement: keeps the IN lists of a large report within a sane size. */
const TARGETS_PER_QUERY = 500;

/**
 * The audit events of a set of nodes, with their chain fields (sequence, hashes), in chain order.
 * AuditEventRepository lists events of one target without chain fields; a report needs many
 * targets at once and the hashes, so it reads them here (over the (target_type, target_id) index).
 */
export class ComplianceAuditRepository {
  constructor(private readonly db: Database) {}

  async eventsOf(targets: readonly AuditTarget[]): Promise<ChainedAuditEvent[]> {
    const byKind = new Map<NodeKind, Set<string>>();
    for (const target of targets) {
      const ids = byKind.get(target.kind) ?? new Set<string>();
      ids.add(target.id);
      byKind.set(target.kind, ids);
    }
    const events = new Map<number, ChainedAuditEvent>();
    for (const [kind, idSet] of byKind) {
      const ids = [...idSet];
      for (let start = 0; start < ids.length; start += TARGETS_PER_QUERY) {
        const rows = await this.db.prisma.auditEvent.findMany({
          where: { targetType: kind, targetId: { in: ids.slice(start, start + TARGETS_PER_QUERY) } },
          orderBy: { id: "asc" },
        });
        for (const row of rows) events.set(Number(row.id), toChainedAuditEvent(row));
      }
    }
    return [...events.values()].sort((a, b) => (a.sequence ?? a.id) - (b.sequence ?? b.id) || a.id - b.id);
  }
}
