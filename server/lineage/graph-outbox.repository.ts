import { lockChangeOrder, lockChangeOrderIn } from "../db/change-order-lock.js";
import type { SqlSession } from "../db/sql-session.js";
import { rowSource } from "../db/row-source.js";
import type { Transaction } from "../db/transaction.js";

/** What the graph projector must apply to Neo4j after a change. */
export interface GraphOutboxMessage {
  topic: string;
  payload: Record<string, unknown>;
}

/** Appends to the transactional outbox; the projector drains it in id order. */
export class GraphOutboxRepository {
  async append(tx: Transaction, message: GraphOutboxMessage): Promise<number> {
    // Commit order = id order, or a projector past a later id would never see this one.
    await lockChangeOrder(tx);
    const row = await tx.graphOutbox.create({
      data: { topic: message.topic, payload: message.payload as object },
      select: { id: true },
    });
    return Number(row.id);
  }

  /** Appends messages in one statement, ids in the given order. */
  async appendMany(session: SqlSession, messages: readonly GraphOutboxMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await lockChangeOrderIn(session);
    const source = rowSource(
      [
        { name: "topic", type: "text" },
        { name: "payload", type: "jsonb" },
      ],
      messages.map((message) => [message.topic, JSON.stringify(message.payload)]),
    );
    await session.execute(
      `INSERT INTO graph_outbox (topic, payload) SELECT ${source.select} FROM ${source.from} ORDER BY ${source.position}`,
      source.params,
    );
  }
}
