import type pg from "pg";

/**
 * Counts SQL statements sent through a pool. Used by tests that prove DataLoaders keep the
 * number of statements of a nested query independent of its size, and by benchmarks.
 */
export class StatementCounter {
  count = 0;

  attach(pool: pg.Pool): void {
    pool.on("connect", (client) => {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
        this.count += 1;
        return query(...args);
      };
    });
  }
}
