import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmbeddedPostgres, startEmbeddedPostgres } from "../db/embedded-postgres.js";
import { applyMigrations, readMigrationFiles } from "../db/migrate.js";
import { type ScratchDatabase, createScratchDatabase, testDatabaseKind } from "../testing/test-database.js";

const DATASET_FIELD_MIGRATION = "20261125030000_dataset_field";

describe("the dataset_field migration", () => {
  let scratch: ScratchDatabase | undefined;
  let embedded: EmbeddedPostgres | undefined;
  let pool: pg.Pool;

  beforeAll(async () => {
    if (testDatabaseKind() === "postgres") scratch = await createScratchDatabase();
    else embedded = await startEmbeddedPostgres(undefined);
    pool = new pg.Pool({ connectionString: scratch?.url ?? embedded!.url, max: 1 });
  });
  afterAll(async () => {
    await pool?.end();
    await scratch?.drop();
    await embedded?.close();
  });

  it("gives versions registered before it a field per schema name", async () => {
    const files = readMigrationFiles();
    expect(files.map((file) => file.name)).toContain(DATASET_FIELD_MIGRATION);
    await applyMigrations(
      pool,
      files.filter((file) => file.name < DATASET_FIELD_MIGRATION),
    );
    const { rows } = await pool.query<{ id: string }>(
      `WITH ns AS (INSERT INTO namespace (name) VALUES ('m') RETURNING id),
            ds AS (INSERT INTO dataset (namespace_id, name) SELECT id, 'd' FROM ns RETURNING id)
       INSERT INTO dataset_version (dataset_id, version, uri, format, digest, schema_fields)
       SELECT ds.id, v.version, 'file:///d', 'CSV', v.digest, v.schema::jsonb FROM ds,
         (VALUES (1, 'sha256:01', '[{"name":"a","type":"int64"},{"name":"b","type":"string","description":"B"},{"name":"a","type":"string"}]'),
                 (2, 'sha256:02', '[]')) AS v(version, digest, schema)
       RETURNING id::text`,
    );
    expect(rows).toHaveLength(2);

    const report = await applyMigrations(pool, files);
    expect(report.applied).toContain(DATASET_FIELD_MIGRATION);
    const { rows: fields } = await pool.query(
      `SELECT v.version, f.name, f.data_type FROM dataset_field f JOIN dataset_version v ON v.id = f.dataset_version_id
        ORDER BY v.version, f.name`,
    );
    // The first entry of a repeated name wins; a version without a schema gets no fields.
    expect(fields).toEqual([
      { version: 1, name: "a", data_type: "int64" },
      { version: 1, name: "b", data_type: "string" },
    ]);
  });
});
