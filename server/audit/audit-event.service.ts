import { type PageRequest, type SortDirection, paginate } from "../lib/paginate.js";
import type { AuditEvent, AuditEventFilter } from "./audit-event.js";
import type { AuditEventRepository } from "./audit-event.repository.js";

/** Reads the audit trail (writing it is ChangeRecorder's job, inside each service's transaction). */
export class AuditEventService {
  constructor(private readonly auditEvents: AuditEventRepository) {}

  async list(filter: AuditEventFilter, page: PageRequest, direction: SortDirection) {
    const result = await paginate<AuditEvent>(
      page,
      "id",
      direction,
      (query) => this.auditEvents.list(filter, query),
      (id) => BigInt(id),
    );
    return { page: result, count: () => this.auditEvents.count(filter) };
  }
}
