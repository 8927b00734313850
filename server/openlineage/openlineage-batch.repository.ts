import { type DatasetVersionRecord, type DatasetVersionRow, toDatasetVersion } from "../dataset/dataset.repository.js";
import { rowSource } from "../db/row-source.js";
import type { SqlSession } from "../db/sql-session.js";
import type { LineageEdge, NewLineageEdge } from "../lineage/lineage-edge.js";
import type { RunRecord } from "../run/run-record.js";
import { type RunRow, toRun } from "../run/run.repository.js";
import type { OpenLineageEventKind } from "./openlineage-event.js";

/**
 * Set-based reads and writes of one OpenLineage batch: every statement takes parallel arrays
 * (`unnest`), so a batch of thousands of events costs a fixed number of round trips.
 */

/** Serializes OpenLineage batches across API processes (runs, version numbers are decided in memory). */
const OPENLINEAGE_BATCH_LOCK = 0x6f6c6261; // "olba"

export interface NamedRow {
  id: string;
  namespaceId: string;
  name: string;
}

export interface JobRow extends NamedRow {
  jobType: string | null;
  description: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface DatasetRow extends NamedRow {
  description: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface StoredEventByHash {
  eventHash: string;
  id: string;
  kind: OpenLineageEventKind;
  runId: string | null;
  jobId: string | null;
  datasetId: string | null;
}

export interface RunEventHistory {
  runId: string;
  eventType: string | null;
  eventTime: Date;
  /** The event's `outputs` (a completed run's output versions are merged from all its events). */
  outputs: unknown;
}

export interface NewEventRow {
  id: string;
  eventHash: string;
  kind: OpenLineageEventKind;
  eventType: string | null;
  eventTime: Date;
  namespaceId: string;
  runId: string | null;
  jobId: string | null;
  datasetId: string | null;
  payload: unknown;
}

export interface EdgeToAdd extends NewLineageEdge {
  validFrom: Date;
}

const RUN_COLUMNS = `run.id::text, job_id::text AS "jobId", external_id AS "externalId", parent_run_id::text AS "parentRunId",
  commit_id::text AS "commitId", status::text AS status, hyperparameters, latest_metrics AS "latestMetrics",
  error_message AS "errorMessage", nominal_time AS "nominalTime", started_at AS "startedAt", ended_at AS "endedAt",
  run.created_at AS "createdAt", run.updated_at AS "updatedAt"`;

const VERSION_COLUMNS = `v.id::text, v.dataset_id::text AS "datasetId", v.version, v.uri, v.format::text AS format, v.digest,
  v.schema_fields AS "schemaFields", v.row_count AS "rowCount", v.size_bytes AS "sizeBytes", v.snapshot_ref AS "snapshotRef",
  v.created_at AS "createdAt"`;

const json = (value: unknown) => JSON.stringify(value);

export class OpenLineageBatchRepository {
  /**
   * Held to the commit: one OpenLineage batch at a time decides run states and version numbers.
   * Waits are bounded, so a batch stuck behind a long transaction fails (and is retried by parts)
   * instead of holding every process's ingestion.
   */
  async lockBatch(session: SqlSession): Promise<void> {
    await session.execute("SET LOCAL lock_timeout = '10s'");
    await session.execute("SET LOCAL statement_timeout = '60s'");
    await session.query("SELECT 1 AS locked FROM pg_advisory_xact_lock($1::bigint)", [OPENLINEAGE_BATCH_LOCK]);
  }

  async eventsByHash(session: SqlSession, hashes: readonly string[]): Promise<StoredEventByHash[]> {
    if (hashes.length === 0) return [];
    return session.query<StoredEventByHash>(
      `SELECT event_hash AS "eventHash", id::text, kind, run_id::text AS "runId", job_id::text AS "jobId",
              dataset_id::text AS "datasetId"
       FROM openlineage_event WHERE event_hash = ANY($1::text[])`,
      [[...hashes]],
    );
  }

  async namespacesByName(session: SqlSession, names: readonly string[]): Promise<Array<{ id: string; name: string }>> {
    if (names.length === 0) return [];
    return session.query(`SELECT id::text, name FROM namespace WHERE name = ANY($1::text[])`, [[...names]]);
  }

  async jobsByName(session: SqlSession, keys: ReadonlyArray<{ namespaceId: string; name: string }>): Promise<JobRow[]> {
    if (keys.length === 0) return [];
    return session.query<JobRow>(
      `SELECT j.id::text, j.namespace_id::text AS "namespaceId", j.name, j.job_type AS "jobType", j.description,
              j.created_at AS "createdAt", j.updated_at AS "updatedAt"
       FROM unnest($1::uuid[], $2::text[]) AS k(namespace_id, name)
       JOIN job j ON j.namespace_id = k.namespace_id AND j.name = k.name`,
      [keys.map((key) => key.namespaceId), keys.map((key) => key.name)],
    );
  }

  async datasetsByName(session: SqlSession, keys: ReadonlyArray<{ namespaceId: string; name: string }>): Promise<DatasetRow[]> {
    if (keys.length === 0) return [];
    return session.query<DatasetRow>(
      `SELECT d.id::text, d.namespace_id::text AS "namespaceId", d.name, d.description, d.created_at AS "createdAt",
              d.updated_at AS "updatedAt"
       FROM unnest($1::uuid[], $2::text[]) AS k(namespace_id, name)
       JOIN dataset d ON d.namespace_id = k.namespace_id AND d.name = k.name`,
      [keys.map((key) => key.namespaceId), keys.map((key) => key.name)],
    );
  }

  /** Event times of the jobs' stored `jobType` and `documentation` facets (the job's columns follow the latest). */
  async jobColumnFacetTimes(
    session: SqlSession,
    jobIds: readonly string[],
  ): Promise<Array<{ jobId: string; name: string; eventTime: Date }>> {
    if (jobIds.length === 0) return [];
    return session.query(
      `SELECT node_id::text AS "jobId", name, event_time AS "eventTime" FROM openlineage_facet
       WHERE node_kind = 'Job' AND node_id = ANY($1::uuid[]) AND name IN ('jobType', 'documentation')`,
      [[...jobIds]],
    );
  }

  /** Datasets by another identifier of theirs (OpenLineage `symlinks` facet), keyed by the identifier. */
  async datasetsBySymlink(
    session: SqlSession,
    keys: ReadonlyArray<{ namespace: string; name: string }>,
  ): Promise<Array<DatasetRow & { symlinkNamespace: string; symlinkName: string }>> {
    if (keys.length === 0) return [];
    return session.query(
      `SELECT s.namespace AS "symlinkNamespace", s.name AS "symlinkName", d.id::text, d.namespace_id::text AS "namespaceId",
              d.name, d.description, d.created_at AS "createdAt", d.updated_at AS "updatedAt"
       FROM unnest($1::text[], $2::text[]) AS k(namespace, name)
       JOIN dataset_symlink s ON s.namespace = k.namespace AND s.name = k.name
       JOIN dataset d ON d.id = s.dataset_id`,
      [keys.map((key) => key.namespace), keys.map((key) => key.name)],
    );
  }

  /** New identifiers of datasets; one another dataset claimed first stays its own. */
  async insertSymlinks(
    session: SqlSession,
    rows: ReadonlyArray<{ namespace: string; name: string; datasetId: string; type: string | null }>,
  ): Promise<void> {
    if (rows.length === 0) return;
    await session.execute(
      `INSERT INTO dataset_symlink (namespace, name, dataset_id, type)
       SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[], $4::text[])
       ON CONFLICT DO NOTHING`,
      [
        rows.map((row) => row.namespace),
        rows.map((row) => row.name),
        rows.map((row) => row.datasetId),
        rows.map((row) => row.type),
      ],
    );
  }

  /** Runs by their OpenLineage runId with their job's namespace, locked for this batch. */
  async runsByExternalId(
    session: SqlSession,
    externalIds: readonly string[],
  ): Promise<Array<{ run: RunRecord; namespaceId: string }>> {
    if (externalIds.length === 0) return [];
    const rows = await session.query<RunRow & { namespaceId: string }>(
      `SELECT ${RUN_COLUMNS}, (SELECT namespace_id::text FROM job WHERE job.id = run.job_id) AS "namespaceId"
       FROM run WHERE external_id = ANY($1::text[]) ORDER BY id FOR UPDATE`,
      [[...externalIds]],
    );
    return rows.map(({ namespaceId, ...row }) => ({ run: toRun(row), namespaceId }));
  }

  /** Type, time and outputs of every stored event of the runs. */
  async runEventHistories(session: SqlSession, runIds: readonly string[]): Promise<RunEventHistory[]> {
    if (runIds.length === 0) return [];
    return session.query<RunEventHistory>(
      `SELECT run_id::text AS "runId", event_type AS "eventType", event_time AS "eventTime", payload->'outputs' AS outputs
       FROM openlineage_event WHERE run_id = ANY($1::uuid[]) ORDER BY event_time, received_at`,
      [[...runIds]],
    );
  }

  /** For each (dataset, instant): the version current then (newest created at or before it). */
  async versionsAt(
    session: SqlSession,
    lookups: ReadonlyArray<{ datasetId: string; at: Date }>,
  ): Promise<Array<{ position: number; version: DatasetVersionRecord }>> {
    if (lookups.length === 0) return [];
    const rows = await session.query<DatasetVersionRow & { position: bigint | number }>(
      `SELECT q.position, ${VERSION_COLUMNS}
       FROM unnest($1::uuid[], $2::timestamptz[]) WITH ORDINALITY AS q(dataset_id, at, position)
       CROSS JOIN LATERAL (
         SELECT * FROM dataset_version d WHERE d.dataset_id = q.dataset_id AND d.created_at <= q.at
         ORDER BY d.created_at DESC, d.version DESC LIMIT 1
       ) v`,
      [lookups.map((lookup) => lookup.datasetId), lookups.map((lookup) => lookup.at)],
    );
    return rows.map(({ position, ...row }) => ({ position: Number(position) - 1, version: toDatasetVersion(row) }));
  }

  /**
   * For each (dataset, window): the version current at the window's start and every version created
   * within it — enough to answer "current at" for any instant of the window in memory.
   */
  async versionsInWindows(
    session: SqlSession,
    windows: ReadonlyArray<{ datasetId: string; from: Date; to: Date }>,
  ): Promise<DatasetVersionRecord[]> {
    if (windows.length === 0) return [];
    const rows = await session.query<DatasetVersionRow>(
      `SELECT ${VERSION_COLUMNS}
       FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[]) AS q(dataset_id, from_at, to_at)
       CROSS JOIN LATERAL (
         (SELECT * FROM dataset_version d WHERE d.dataset_id = q.dataset_id AND d.created_at <= q.from_at
          ORDER BY d.created_at DESC, d.version DESC LIMIT 1)
         UNION ALL
         (SELECT * FROM dataset_version d WHERE d.dataset_id = q.dataset_id AND d.created_at > q.from_at AND d.created_at <= q.to_at)
       ) v`,
      [windows.map((window) => window.datasetId), windows.map((window) => window.from), windows.map((window) => window.to)],
    );
    return rows.map(toDatasetVersion);
  }

  /** Versions by (dataset, snapshot reference): the newest of each. */
  async versionsBySnapshotRef(
    session: SqlSession,
    lookups: ReadonlyArray<{ datasetId: string; snapshotRef: string }>,
  ): Promise<DatasetVersionRecord[]> {
    if (lookups.length === 0) return [];
    const rows = await session.query<DatasetVersionRow>(
      `SELECT DISTINCT ON (v.dataset_id, v.snapshot_ref) ${VERSION_COLUMNS}
       FROM unnest($1::uuid[], $2::text[]) AS q(dataset_id, snapshot_ref)
       JOIN dataset_version v ON v.dataset_id = q.dataset_id AND v.snapshot_ref = q.snapshot_ref
       ORDER BY v.dataset_id, v.snapshot_ref, v.version DESC`,
      [lookups.map((lookup) => lookup.datasetId), lookups.map((lookup) => lookup.snapshotRef)],
    );
    return rows.map(toDatasetVersion);
  }

  async versionsByDigest(
    session: SqlSession,
    lookups: ReadonlyArray<{ datasetId: string; digest: string }>,
  ): Promise<DatasetVersionRecord[]> {
    if (lookups.length === 0) return [];
    const rows = await session.query<DatasetVersionRow>(
      `SELECT ${VERSION_COLUMNS}
       FROM unnest($1::uuid[], $2::text[]) AS q(dataset_id, digest)
       JOIN dataset_version v ON v.dataset_id = q.dataset_id AND v.digest = q.digest`,
      [lookups.map((lookup) => lookup.datasetId), lookups.map((lookup) => lookup.digest)],
    );
    return rows.map(toDatasetVersion);
  }

  /** Highest version number of each dataset, with the datasets locked like `lockForNewVersion` does. */
  async lockDatasetsForNewVersions(session: SqlSession, datasetIds: readonly string[]): Promise<Map<string, number>> {
    if (datasetIds.length === 0) return new Map();
    await session.query(`SELECT id FROM dataset WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [[...datasetIds]]);
    const rows = await session.query<{ datasetId: string; version: number }>(
      `SELECT dataset_id::text AS "datasetId", max(version)::int AS version
       FROM dataset_version WHERE dataset_id = ANY($1::uuid[]) GROUP BY dataset_id`,
      [[...datasetIds]],
    );
    const numbers = new Map(datasetIds.map((id) => [id, 0]));
    for (const row of rows) numbers.set(row.datasetId, row.version);
    return numbers;
  }

  async insertNamespaces(session: SqlSession, rows: ReadonlyArray<{ id: string; name: string; at: Date }>): Promise<void> {
    if (rows.length === 0) return;
    await session.execute(
      `INSERT INTO namespace (id, name, created_at, updated_at)
       SELECT n.id, n.name, n.at, n.at FROM unnest($1::uuid[], $2::text[], $3::timestamptz[]) AS n(id, name, at)`,
      [rows.map((row) => row.id), rows.map((row) => row.name), rows.map((row) => row.at)],
    );
  }

  async insertJobs(session: SqlSession, rows: readonly JobRow[]): Promise<void> {
    if (rows.length === 0) return;
    await session.execute(
      `INSERT INTO job (id, namespace_id, name, job_type, description, created_at, updated_at)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[])`,
      [
        rows.map((row) => row.id),
        rows.map((row) => row.namespaceId),
        rows.map((row) => row.name),
        rows.map((row) => row.jobType),
        rows.map((row) => row.description),
        rows.map((row) => row.createdAt),
        rows.map((row) => row.updatedAt),
      ],
    );
  }

  /** Sets only the columns each job's events changed, so a concurrent edit of the other one is kept. */
  async updateJobs(
    session: SqlSession,
    rows: ReadonlyArray<{ job: JobRow; columns: ReadonlySet<"jobType" | "description"> }>,
  ): Promise<void> {
    if (rows.length === 0) return;
    await session.execute(
      `UPDATE job SET job_type = CASE WHEN u.set_type THEN u.job_type ELSE job.job_type END,
                      description = CASE WHEN u.set_description THEN u.description ELSE job.description END,
                      updated_at = u.updated_at
       FROM unnest($1::uuid[], $2::bool[], $3::text[], $4::bool[], $5::text[], $6::timestamptz[])
         AS u(id, set_type, job_type, set_description, description, updated_at)
       WHERE job.id = u.id`,
      [
        rows.map(({ job }) => job.id),
        rows.map(({ columns }) => columns.has("jobType")),
        rows.map(({ job }) => job.jobType),
        rows.map(({ columns }) => columns.has("description")),
        rows.map(({ job }) => job.description),
        rows.map(({ job }) => job.updatedAt),
      ],
    );
  }

  async insertDatasets(session: SqlSession, rows: readonly DatasetRow[]): Promise<void> {
    if (rows.length === 0) return;
    await session.execute(
      `INSERT INTO dataset (id, namespace_id, name, created_at, updated_at)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[], $5::timestamptz[])`,
      [
        rows.map((row) => row.id),
        rows.map((row) => row.namespaceId),
        rows.map((row) => row.name),
        rows.map((row) => row.createdAt),
        rows.map((row) => row.updatedAt),
      ],
    );
  }

  /** New runs, then the final state of changed ones: both as the batch left them. */
  async writeRuns(session: SqlSession, created: readonly RunRecord[], changed: readonly RunRecord[]): Promise<void> {
    const columns = (rows: readonly RunRecord[]) => [
      rows.map((row) => row.id),
      rows.map((row) => row.jobId),
      rows.map((row) => row.externalId),
      rows.map((row) => row.parentRunId),
      rows.map((row) => row.status),
      rows.map((row) => row.errorMessage),
      rows.map((row) => row.nominalTime),
      rows.map((row) => row.startedAt),
      rows.map((row) => row.endedAt),
      rows.map((row) => row.createdAt),
      rows.map((row) => row.updatedAt),
    ];
    const source = `unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::timestamptz[],
      $8::timestamptz[], $9::timestamptz[], $10::timestamptz[], $11::timestamptz[])
      AS r(id, job_id, external_id, parent_run_id, status, error_message, nominal_time, started_at, ended_at, created_at, updated_at)`;
    if (created.length > 0) {
      await session.execute(
        `INSERT INTO run (id, job_id, external_id, parent_run_id, status, error_message, nominal_time, started_at, ended_at,
                          created_at, updated_at)
         SELECT r.id, r.job_id, r.external_id, r.parent_run_id, r.status::"RunStatus", r.error_message, r.nominal_time,
                r.started_at, r.ended_at, r.created_at, r.updated_at
         FROM ${source}`,
        columns(created),
      );
    }
    if (changed.length > 0) {
      await session.execute(
        `UPDATE run SET parent_run_id = r.parent_run_id, status = r.status::"RunStatus", error_message = r.error_message,
                        nominal_time = r.nominal_time, started_at = r.started_at, ended_at = r.ended_at,
                        updated_at = r.updated_at
         FROM ${source} WHERE run.id = r.id`,
        columns(changed),
      );
    }
  }

  /** New versions with a dataset field per schema field (a repeated name counts once), like `createVersion`. */
  async insertVersions(session: SqlSession, rows: readonly DatasetVersionRecord[]): Promise<void> {
    if (rows.length === 0) return;
    const source = rowSource(
      [
        { name: "id", type: "uuid" },
        { name: "dataset_id", type: "uuid" },
        { name: "version", type: "int" },
        { name: "uri", type: "text" },
        { name: "format", type: '"DatasetFormat"' },
        { name: "digest", type: "text" },
        { name: "schema_fields", type: "jsonb" },
        { name: "row_count", type: "int8" },
        { name: "size_bytes", type: "int8" },
        { name: "snapshot_ref", type: "text" },
        { name: "created_at", type: "timestamptz" },
      ],
      rows.map((row) => [
        row.id,
        row.datasetId,
        row.version,
        row.uri,
        row.format,
        row.digest,
        json(row.schemaFields),
        row.rowCount,
        row.sizeBytes,
        row.snapshotRef,
        row.createdAt,
      ]),
    );
    await session.execute(
      `INSERT INTO dataset_version (id, dataset_id, version, uri, format, digest, schema_fields, row_count, size_bytes,
                                    snapshot_ref, created_at)
       SELECT ${source.select} FROM ${source.from}`,
      source.params,
    );
    await this.insertFields(session, rows);
  }

  /** A dataset field per schema field of the versions (a repeated name counts once; existing ones stay). */
  private async insertFields(session: SqlSession, rows: readonly DatasetVersionRecord[]): Promise<void> {
    const fields = rows.flatMap((row) =>
      [...new Map(row.schemaFields.map((field) => [field.name, field])).values()].map((field) => ({
        versionId: row.id,
        name: field.name,
        dataType: field.type,
      })),
    );
    if (fields.length === 0) return;
    await session.execute(
      `INSERT INTO dataset_field (dataset_version_id, name, data_type)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[])
       ON CONFLICT DO NOTHING`,
      [fields.map((field) => field.versionId), fields.map((field) => field.name), fields.map((field) => field.dataType)],
    );
  }

  /** Output versions completed by a late event of their run: schema, format, statistics, time; fields added. */
  async completeVersions(session: SqlSession, rows: readonly DatasetVersionRecord[]): Promise<void> {
    if (rows.length === 0) return;
    const source = rowSource(
      [
        { name: "id", type: "uuid" },
        { name: "format", type: '"DatasetFormat"' },
        { name: "schema_fields", type: "jsonb" },
        { name: "row_count", type: "int8" },
        { name: "size_bytes", type: "int8" },
        { name: "created_at", type: "timestamptz" },
      ],
      rows.map((row) => [row.id, row.format, json(row.schemaFields), row.rowCount, row.sizeBytes, row.createdAt]),
    );
    await session.execute(
      `UPDATE dataset_version v SET format = u.format, schema_fields = u.schema_fields, row_count = u.row_count,
              size_bytes = u.size_bytes, created_at = u.created_at
       FROM (SELECT ${source.select} FROM ${source.from}) AS u
       WHERE v.id = u.id`,
      source.params,
    );
    await this.insertFields(session, rows);
  }

  /**
   * Adds current edges, each valid from its own instant; an identical current edge is left as it is
   * (as `LineageEdgeRepository.addCurrent`). Returns the edges inserted, in the given order.
   */
  async addEdges(session: SqlSession, edges: readonly EdgeToAdd[]): Promise<Array<LineageEdge & { position: number }>> {
    if (edges.length === 0) return [];
    const rows = await session.query<{
      position: bigint | number;
      id: string;
      validFrom: Date;
    }>(
      `WITH edge AS (
         SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::timestamptz[])
           WITH ORDINALITY AS e(upstream_type, upstream_id, downstream_type, downstream_id, kind, role, valid_from, position)
       ), inserted AS (
         INSERT INTO lineage_edge (upstream_type, upstream_id, downstream_type, downstream_id, kind, role, valid_from)
         SELECT e.upstream_type::"NodeType", e.upstream_id, e.downstream_type::"NodeType", e.downstream_id, e.kind::"EdgeKind",
                e.role::"InputRole", e.valid_from
         FROM edge e ORDER BY e.position
         ON CONFLICT (upstream_id, downstream_id, kind, role) WHERE valid_to IS NULL DO NOTHING
         RETURNING id, upstream_id, downstream_id, kind::text AS kind, role::text AS role, valid_from
       )
       SELECT e.position, i.id::text, i.valid_from AS "validFrom"
       FROM inserted i JOIN edge e ON e.upstream_id = i.upstream_id AND e.downstream_id = i.downstream_id
         AND e.kind = i.kind AND e.role IS NOT DISTINCT FROM i.role
       ORDER BY e.position`,
      [
        edges.map((edge) => edge.upstream.type),
        edges.map((edge) => edge.upstream.id),
        edges.map((edge) => edge.downstream.type),
        edges.map((edge) => edge.downstream.id),
        edges.map((edge) => edge.kind),
        edges.map((edge) => edge.role ?? null),
        edges.map((edge) => edge.validFrom),
      ],
    );
    return rows.map((row) => {
      const edge = edges[Number(row.position) - 1]!;
      return {
        id: row.id,
        upstream: edge.upstream,
        downstream: edge.downstream,
        kind: edge.kind,
        role: edge.role,
        properties: {},
        validFrom: row.validFrom,
        validTo: null,
        position: Number(row.position) - 1,
      };
    });
  }

  async insertEvents(session: SqlSession, rows: readonly NewEventRow[]): Promise<void> {
    if (rows.length === 0) return;
    const source = rowSource(
      [
        { name: "id", type: "uuid" },
        { name: "event_hash", type: "text" },
        { name: "kind", type: "text" },
        { name: "event_type", type: "text" },
        { name: "event_time", type: "timestamptz" },
        { name: "namespace_id", type: "uuid" },
        { name: "run_id", type: "uuid" },
        { name: "job_id", type: "uuid" },
        { name: "dataset_id", type: "uuid" },
        { name: "payload", type: "json" },
      ],
      rows.map((row) => [
        row.id,
        row.eventHash,
        row.kind,
        row.eventType,
        row.eventTime,
        row.namespaceId,
        row.runId,
        row.jobId,
        row.datasetId,
        json(row.payload),
      ]),
    );
    await session.execute(
      `INSERT INTO openlineage_event (id, event_hash, kind, event_type, event_time, namespace_id, run_id, job_id, dataset_id, payload)
       SELECT ${source.select} FROM ${source.from}`,
      source.params,
    );
  }
}
