import { randomBytes } from "node:crypto";
import pg from "pg";

/** Where integration tests run: embedded PGlite, or a Postgres server started by scripts/services.sh. */
export type TestDatabaseKind = "pglite" | "postgres";

export const DEFAULT_TEST_POSTGRES_URL = "postgres://pedigree:pedigree@127.0.0.1:55432/pedigree";

export function testDatabaseKind(): TestDatabaseKind {
  return process.env.PEDIGREE_TEST_DB === "postgres" ? "postgres" : "pglite";
}

export function testPostgresUrl(): string {
  return process.env.PEDIGREE_TEST_POSTGRES_URL ?? DEFAULT_TEST_POSTGRES_URL;
}

export async function isPostgresReachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A new, empty database on the test Postgres server, so test files never see each other's rows. */
export async function createScratchDatabase(): Promise<ScratchDatabase> {
  const adminUrl = testPostgresUrl();
  const name = `pedigree_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
