import type pg from "pg";
import type { Database } from "./database.js";
import type { Transaction } from "./transaction.js";

/**
 * Plain SQL inside one open transaction, whoever opened it: a Prisma interactive transaction, or
 * a pooled `pg` client. Set-based batch writers (OpenLineage ingestion) use it to skip the
 * generated client's per-statement cost when they need nothing else of it.
 */
export interface SqlSession {
  query<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  execute(sql: string, params?: readonly unknown[]): Promise<number>;
}

/** A session over a Prisma interactive transaction (for work that also calls Prisma-based services). */
export function prismaSession(tx: Transaction): SqlSession {
  return {
    query: <T>(sql: string, params: readonly unknown[] = []) => tx.$queryRawUnsafe<T[]>(sql, ...params),
    execute: (sql: string, params: readonly unknown[] = []) => tx.$executeRawUnsafe(sql, ...params),
  };
}

function pgSession(client: pg.PoolClient): SqlSession {
  return {
    query: async <T>(sql: string, params: readonly unknown[] = []) => (await client.query(sql, params as unknown[])).rows as T[],
    execute: async (sql: string, params: readonly unknown[] = []) => (await client.query(sql, params as unknown[])).rowCount ?? 0,
  };
}

/**
 * Runs `work` in one transaction on a pooled connection: committed when it returns, rolled back
 * when it throws.
 */
export async function withPooledTransaction<T>(db: Database, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await db.pool.connect();
  try {
    await client.query("BEGIN");
    try {
      const result = await work(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    }
  } finally {
    client.release();
  }
}

/** `withPooledTransaction` with the connection as a `SqlSession`. */
export function withPgTransaction<T>(db: Database, work: (session: SqlSession) => Promise<T>): Promise<T> {
  return withPooledTransaction(db, (client) => work(pgSession(client)));
}
