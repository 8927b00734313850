import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "../../prisma/generated/client.js";
import { startEmbeddedPostgres } from "./embedded-postgres.js";
import { applyMigrations, type MigrationReport } from "./migrate.js";
import { StatementCounter } from "./statement-counter.js";

export type DatabaseMode = "embedded" | "postgres";

export interface DatabaseOptions {
  /** Postgres server URL; when undefined an embedded PGlite database is started. */
  url: string | undefined;
  /** Folder for the embedded database; undefined keeps it in memory (tests). */
  dataDir: string | undefined;
  /** Pool size against a Postgres server. @defaultValue 10 */
  poolSize?: number;
}

/** The connection to the system of record, whatever runs it. Only repositories use `prisma` and `pool`. */
export interface Database {
  mode: DatabaseMode;
  url: string;
  pool: pg.Pool;
  prisma: PrismaClient;
  statements: StatementCounter;
  migrations: MigrationReport;
  close(): Promise<void>;
}

// BIGINT columns (row counts, audit ids) arrive as strings by default; they fit in a JS number here.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const embedded = options.url ? undefined : await startEmbeddedPostgres(options.dataDir);
  const url = options.url ?? embedded?.url;
  if (!url) throw new Error("No database URL");
  // PGlite runs one session: a single pooled connection keeps statements of concurrent requests
  // from interleaving inside the socket (transactions still serialize correctly).
  const pool = new pg.Pool({
    connectionString: url,
    max: embedded ? 1 : (options.poolSize ?? 10),
    idleTimeoutMillis: 30_000,
  });
  // An idle pooled connection that the server ends (restart, failover, admin termination) is reported
  // on the pool; without a listener Node treats it as fatal. The pool drops that client and the next
  // query opens a new one, so there is nothing else to do.
  pool.on("error", () => undefined);
  const statements = new StatementCounter();
  statements.attach(pool);
  try {
    const migrations = await applyMigrations(pool);
    const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
    return {
      mode: embedded ? "embedded" : "postgres",
      url,
      pool,
      prisma,
      statements,
      migrations,
      async close() {
        await prisma.$disconnect();
        await pool.end();
        await embedded?.close();
      },
    };
  } catch (error) {
    await pool.end();
    await embedded?.close();
    throw error;
  }
}
