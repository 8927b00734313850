import { type PageRequest, type SortDirection, paginate } from "../lib/paginate.js";
import { AuditChainVerifier, type AuditChainVerification, CHAIN_START } from "./audit-chain-verifier.js";
import type { AuditEvent, AuditEventFilter } from "./audit-event.js";
import type { AuditEventRepository } from "./audit-event.repository.js";

/** Events read per page while verifying (memory stays flat however long the chain is). */
const VERIFY_PAGE_SIZE = 2_000;

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

  /**
   * Verifies the hash chain over the events that occurred in [from, to) (whole chain when both are
   * open): every event from the first to the last of them in id order, continuing from the event
   * just before the first. Reads the table page by page.
   */
  async verifyChain(range: { from?: Date | undefined; to?: Date | undefined }): Promise<AuditChainVerification> {
    const span = await this.auditEvents.idSpan(range.from, range.to);
    if (!span) return new AuditChainVerifier(CHAIN_START).result();
    const before = await this.auditEvents.chainLinkBefore(span.firstId);
    const verifier = new AuditChainVerifier(
      before ? { eventId: Number(before.id), sequence: before.sequence ?? 0, hash: before.hash ?? "" } : CHAIN_START,
    );
    let afterId = span.firstId - 1n;
    for (;;) {
      const page = await this.auditEvents.chainPage(afterId, span.lastId, VERIFY_PAGE_SIZE);
      if (!verifier.feed(page) || page.length < VERIFY_PAGE_SIZE) break;
      afterId = BigInt(page[page.length - 1]!.id);
    }
    return verifier.result();
  }
}
