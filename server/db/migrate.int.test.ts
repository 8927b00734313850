import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DataDirLockedError, startEmbeddedPostgres, type EmbeddedPostgres } from "./embedded-postgres.js";
import { MigrationChangedError, applyMigrations, readMigrationFiles } from "./migrate.js";
import { type ScratchDatabase, createScratchDatabase, testDatabaseKind } from "../testing/test-database.js";

describe("start-up migrations", () => {
  let url: string;
  let scratch: ScratchDatabase | undefined;
  let embedded: EmbeddedPostgres | undefined;

  beforeAll(async () => {
    if (testDatabaseKind() === "postgres") {
      scratch = await createScratchDatabase();
      url = scratch.url;
    } else {
      embedded = await startEmbeddedPostgres(undefined);
      url = embedded.url;
    }
  });
  afterAll(async () => {
    await scratch?.drop();
    await embedded?.close();
  });

  it("applies each migration exactly once when two instances start together", async () => {
    const first = new pg.Pool({ connectionString: url, max: 2 });
    const second = new pg.Pool({ connectionString: url, max: 2 });
    try {
      // PGlite runs a single backend session, so concurrent instances exist only on a Postgres
      // server (the embedded folder is guarded by its lock file, tested below); on PGlite the two
      // instances start one after the other.
      const reports =
        testDatabaseKind() === "postgres"
          ? await Promise.all([applyMigrations(first), applyMigrations(second)])
          : [await applyMigrations(first), await applyMigrations(second)];
      const files = readMigrationFiles().map((file) => file.name);
      expect(reports.flatMap((report) => report.applied).sort()).toEqual(files.sort());
      expect(reports.flatMap((report) => report.alreadyApplied).sort()).toEqual(files.sort());
      const { rows } = await first.query(
        `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name`,
      );
      expect(rows.map((row) => row.migration_name)).toEqual(files);
      expect(rows.every((row) => row.finished_at !== null && /^[0-9a-f]{64}$/.test(row.checksum))).toBe(true);
      // A restart applies nothing.
      const again = await applyMigrations(first);
      expect(again.applied).toEqual([]);
    } finally {
      await first.end();
      await second.end();
    }
  });

  it("refuses a second opener of an embedded data folder", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pedigree-lock-"));
    const holder = await startEmbeddedPostgres(dir);
    try {
      await expect(startEmbeddedPostgres(dir)).rejects.toBeInstanceOf(DataDirLockedError);
    } finally {
      await holder.close();
    }
    const reopened = await startEmbeddedPostgres(dir);
    await reopened.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses to start when an applied migration was edited", async () => {
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    try {
      const edited = readMigrationFiles().map((file, index) => (index === 0 ? { ...file, checksum: "0".repeat(64) } : file));
      await expect(applyMigrations(pool, edited)).rejects.toBeInstanceOf(MigrationChangedError);
    } finally {
      await pool.end();
    }
  });

  it("rolls back a failing migration and records nothing for it", async () => {
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    try {
      const broken = [
        ...readMigrationFiles(),
        {
          name: "99999999999999_broken",
          sql: "CREATE TABLE half_done (id int); SELECT * FROM no_such_table;",
          checksum: "f".repeat(64),
        },
      ];
      await expect(applyMigrations(pool, broken)).rejects.toThrow(/99999999999999_broken failed/);
      const { rows } = await pool.query(
        `SELECT to_regclass('half_done') AS table, (SELECT count(*)::int FROM "_prisma_migrations" WHERE migration_name = '99999999999999_broken') AS recorded`,
      );
      expect(rows[0]).toEqual({ table: null, recorded: 0 });
    } finally {
      await pool.end();
    }
  });
});
