import type { Transaction } from "../db/transaction.js";

/** What the graph projector must apply to Neo4j after a change. */
export interface GraphOutboxMessage {
  topic: string;
  payload: Record<string, unknown>;
}

/**
 * Key of the transaction-scoped advisory lock that orders outbox writers. Without it, a transaction
 * could take outbox id 7, commit after the one holding id 8, and a projector that had already moved
 * its checkpoint past 8 would never see 7. Holding the lock from the insert to the commit makes
 * commit order equal id order. It is taken last in a change, so it is held only until the commit.
 */
const OUTBOX_ORDER_LOCK = 0x70656469; // "pedi"

/** Appends to the transactional outbox; the projector drains it in id order. */
export class GraphOutboxRepository {
  async append(tx: Transaction, message: GraphOutboxMessage): Promise<number> {
    await tx.$queryRawUnsafe("SELECT 1 AS locked FROM pg_advisory_xact_lock($1::bigint)", OUTBOX_ORDER_LOCK);
    const row = await tx.graphOutbox.create({
      data: { topic: message.topic, payload: message.payload as object },
      select: { id: true },
    });
    return Number(row.id);
  }
}
