import type pg from "pg";

/**
 * Counts SQL statements sent through a pool. Used by tests that prove DataLoaders keep the
 * number of statements of a nested query independent of its size, and by benchmarks.
 */
export class StatementCounter {
  count = 0;
  /** When set, the text of each statement is appended here (debugging a count that moved). */
  log: string[] | undefined;

  attach(pool: pg.Pool): void {
    pool.on("connect", (client) => {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
        this.count += 1;
        if (this.log) {
          const statement = args[0] as string | { text?: string };
          this.log.push(typeof statement === "string" ? statement : String(statement?.text));
        }
        return query(...args);
      };
    });
  }
}
