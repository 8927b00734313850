import type { LineageStore } from "../../graph/lineage-store.js";
// The lineage benchmark's Postgres side: one database per graph size on the services' server,
// migrated like the app does at start, filled with the generator's entity rows and edges in bulk.
import pg from "pg";
import { PostgresLineageStore } from "../../graph/postgres/postgres-lineage-store.js";
import { applyMigrations } from "../../server/db/migrate.js";
import { testPostgresUrl } from "../../server/testing/test-database.js";
import type { EntityRow, EntityTable, LineageGraphGenerator } from "../lineage-graph-generator.js";
import { loadProgress } from "./progress.js";

/** Rows per INSERT statement (entities and edges). */
export const LOAD_BATCH = 10_000;

export function benchDatabaseUrl(name: string): string {
  const url = new URL(testPostgresUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops and creates database `name` (through the server's `postgres` database), then migrates it. */
export async function recreateBenchDatabase(name: string): Promise<string> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`unexpected database name ${name}`);
  const admin = new pg.Client({ connectionString: benchDatabaseUrl("postgres") });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = benchDatabaseUrl(name);
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    await applyMigrations(pool);
  } finally {
    await pool.end();
  }
  return url;
}

export async function databaseExists(name: string): Promise<boolean> {
  const admin = new pg.Client({ connectionString: benchDatabaseUrl("postgres") });
  await admin.connect();
  try {
    return (await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])).rowCount === 1;
  } finally {
    await admin.end();
  }
}

interface Column {
  name: string;
  /** Element type of the array parameter. */
  type: "uuid" | "text" | "int4" | "int8" | "timestamptz";
  /** Cast applied in the SELECT (enums, jsonb). */
  cast?: string;
}

const col = (name: string, type: Column["type"], cast?: string): Column => (cast ? { name, type, cast } : { name, type });

const ENTITY_COLUMNS: Record<EntityTable, Column[]> = {
  namespace: [col("id", "uuid"), col("name", "text"), col("created_at", "timestamptz")],
  code_commit: [
    col("id", "uuid"),
    col("namespace_id", "uuid"),
    col("repository", "text"),
    col("sha", "text"),
    col("branch", "text"),
    col("author", "text"),
    col("message", "text"),
    col("committed_at", "timestamptz"),
    col("created_at", "timestamptz"),
  ],
  dataset: [col("id", "uuid"), col("namespace_id", "uuid"), col("name", "text"), col("created_at", "timestamptz")],
  dataset_version: [
    col("id", "uuid"),
    col("dataset_id", "uuid"),
    col("version", "int4"),
    col("uri", "text"),
    col("format", "text", '"DatasetFormat"'),
    col("digest", "text"),
    col("row_count", "int8"),
    col("size_bytes", "int8"),
    col("snapshot_ref", "text"),
    col("created_at", "timestamptz"),
  ],
  feature_set: [col("id", "uuid"), col("namespace_id", "uuid"), col("name", "text"), col("created_at", "timestamptz")],
  feature: [
    col("id", "uuid"),
    col("feature_set_id", "uuid"),
    col("name", "text"),
    col("dtype", "text"),
    col("transformation_ref", "text"),
    col("created_at", "timestamptz"),
  ],
  job: [
    col("id", "uuid"),
    col("namespace_id", "uuid"),
    col("name", "text"),
    col("job_type", "text"),
    col("created_at", "timestamptz"),
  ],
  run: [
    col("id", "uuid"),
    col("job_id", "uuid"),
    col("parent_run_id", "uuid"),
    col("commit_id", "uuid"),
    col("status", "text", '"RunStatus"'),
    col("hyperparameters", "text", "jsonb"),
    col("latest_metrics", "text", "jsonb"),
    col("started_at", "timestamptz"),
    col("ended_at", "timestamptz"),
    col("created_at", "timestamptz"),
  ],
  model: [col("id", "uuid"), col("namespace_id", "uuid"), col("name", "text"), col("created_at", "timestamptz")],
  model_version: [
    col("id", "uuid"),
    col("model_id", "uuid"),
    col("version", "int4"),
    col("artifact_uri", "text"),
    col("artifact_sha256", "text"),
    col("metrics", "text", "jsonb"),
    col("source_run_id", "uuid"),
    col("created_at", "timestamptz"),
  ],
  deployment: [
    col("id", "uuid"),
    col("namespace_id", "uuid"),
    col("name", "text"),
    col("environment", "text"),
    col("created_at", "timestamptz"),
  ],
  deployment_revision: [
    col("id", "uuid"),
    col("deployment_id", "uuid"),
    col("revision", "int4"),
    col("traffic_split", "text", "jsonb"),
    col("actor", "text"),
    col("reason", "text"),
    col("created_at", "timestamptz"),
  ],
};

/** `INSERT INTO t (…) SELECT … FROM unnest($1::uuid[], …)`: one statement per table and batch. */
function insertStatement(table: EntityTable): string {
  const columns = ENTITY_COLUMNS[table];
  const names = columns.map((c) => c.name).join(", ");
  const selected = columns.map((c) => (c.cast ? `u.${c.name}::${c.cast}` : `u.${c.name}`)).join(", ");
  const params = columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(", ");
  return `INSERT INTO ${table} (${names}) SELECT ${selected} FROM unnest(${params}) AS u(${names})`;
}

function columnArrays(table: EntityTable, rows: EntityRow[]): unknown[] {
  return ENTITY_COLUMNS[table].map((c) => rows.map((row) => row[c.name] ?? null));
}

export interface LoadResult {
  rows: number;
  /** Time spent in the database statements only (generation excluded). */
  ms: number;
}

/** Inserts every entity row of the graph, LOAD_BATCH rows at a time, foreign keys in order. */
export async function loadEntities(pool: pg.Pool, generator: LineageGraphGenerator, label: string): Promise<LoadResult> {
  const statements = new Map<EntityTable, string>();
  const expected = generator.stats();
  const total = Object.values(expected.entityRows).reduce((a, b) => a + b, 0);
  const progress = loadProgress(`${label} postgres entity rows`, total, "rows");
  let rows = 0;
  let ms = 0;
  const client = await pool.connect();
  try {
    for (const group of generator.entityBatches(LOAD_BATCH)) {
      const started = performance.now();
      await client.query("BEGIN");
      for (const { table, rows: batch } of group) {
        if (!statements.has(table)) statements.set(table, insertStatement(table));
        await client.query(statements.get(table)!, columnArrays(table, batch));
        rows += batch.length;
      }
      await client.query("COMMIT");
      ms += performance.now() - started;
      progress.update(rows, ms);
    }
  } finally {
    progress.stop();
    client.release();
  }
  return { rows, ms };
}

/** Records every generated edge through a lineage store, LOAD_BATCH edges per call, timing only the calls. */
export async function loadEdgesInto(
  store: Pick<LineageStore, "recordEdges">,
  generator: LineageGraphGenerator,
  progressLabel: string,
): Promise<LoadResult> {
  const progress = loadProgress(progressLabel, generator.stats().totalEdges, "edges");
  let rows = 0;
  let ms = 0;
  try {
    for (const batch of generator.edgeBatches(LOAD_BATCH)) {
      const started = performance.now();
      await store.recordEdges(batch);
      ms += performance.now() - started;
      rows += batch.length;
      progress.update(rows, ms);
    }
  } finally {
    progress.stop();
  }
  return { rows, ms };
}

/** Records every edge through the Postgres store (one bulk INSERT … FROM unnest per LOAD_BATCH edges). */
export function loadPostgresEdges(pool: pg.Pool, generator: LineageGraphGenerator, label: string): Promise<LoadResult> {
  return loadEdgesInto(new PostgresLineageStore(pool), generator, `${label} postgres edges`);
}

/** Sizes on disk of the lineage edge table (heap + indexes) and of the whole database, in MiB. */
export async function postgresSizes(pool: pg.Pool): Promise<{ edgeTableMiB: number; databaseMiB: number }> {
  const { rows } = await pool.query<{ edges: string; db: string }>(
    "SELECT pg_total_relation_size('lineage_edge')::text AS edges, pg_database_size(current_database())::text AS db",
  );
  return { edgeTableMiB: Number(rows[0]!.edges) / 2 ** 20, databaseMiB: Number(rows[0]!.db) / 2 ** 20 };
}
