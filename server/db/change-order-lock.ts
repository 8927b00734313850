import type { SqlSession } from "./sql-session.js";
import type { Transaction } from "./transaction.js";

/** Key of the one advisory lock that orders appends to the graph outbox and the audit chain. */
const CHANGE_ORDER_LOCK = 0x70656469; // "pedi"

/**
 * Takes the transaction-scoped lock that makes commit order equal id order for the graph outbox
 * (a projector past id 8 must never miss a late-committing 7) and for the audit chain (the head
 * read is the last committed link). Held until the commit. One key for both: ChangeRecorder takes
 * it for both in one change, and a key cannot deadlock against itself in the other order.
 */
export async function lockChangeOrder(tx: Transaction): Promise<void> {
  await tx.$queryRawUnsafe("SELECT 1 AS locked FROM pg_advisory_xact_lock($1::bigint)", CHANGE_ORDER_LOCK);
}

/** `lockChangeOrder` for a plain SQL session (batch writers). */
export async function lockChangeOrderIn(session: SqlSession): Promise<void> {
  await session.query("SELECT 1 AS locked FROM pg_advisory_xact_lock($1::bigint)", [CHANGE_ORDER_LOCK]);
}
