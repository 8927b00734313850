import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import neo4j, { type Driver } from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PrivateNeo4j, startPrivateNeo4j } from "../testing/private-neo4j.js";
import { type TestApp, startTestApp } from "../testing/test-app.js";
import { NEO4J_PROJECTION } from "./lineage-runtime.js";

// Postgres is the record and Neo4j a projection of it: while Neo4j is down, writes succeed and
// lineage reads are answered from Postgres (saying so); when it is back, the projector catches up
// with every edge exactly once. Runs on its own Neo4j, which it stops and starts.

const REGISTER_VERSION = `mutation($input: RegisterDatasetVersionInput!) { registerDatasetVersion(input: $input) { datasetVersion { id } } }`;
const START_RUN = `mutation($input: StartRunInput!) { startRun(input: $input) { run { id } } }`;
const LINEAGE = `query($id: ID!, $consistency: LineageConsistency) {
  lineage(nodeId: $id, direction: DOWNSTREAM, depth: 2, limit: 2000, consistency: $consistency) {
    nodes { id depth } edges { upstreamId downstreamId kind role } truncated
    source { store consistent lagRows fallback reason }
  }
}`;
const STATUS =
  "{ graphProjection { configured store position head lagRows lagSeconds projectorRunning consecutiveFailures lastError } }";

const VERSIONS = 100;
const RUNS = 10;

describe("Neo4j outage: writes go on, reads fall back, the projection catches up exactly once", () => {
  let graph: PrivateNeo4j;
  let app: TestApp;
  let driver: Driver;
  const versionIds: string[] = [];

  beforeAll(async () => {
    graph = await startPrivateNeo4j();
    app = await startTestApp({
      database: "postgres",
      config: { neo4jUrl: graph.url, graphQueryTimeoutMs: 3_000, graphConsistencyTimeoutMs: 5_000 },
    });
    driver = neo4j.driver(graph.url);
    for (let i = 0; i < VERSIONS; i += 1) {
      const result = await app.graphql(REGISTER_VERSION, {
        input: {
          namespace: "outage",
          dataset: `part-${i}`,
          uri: `file:///outage/${i}`,
          format: "PARQUET",
          digest: `sha256:${(i + 1).toString(16).padStart(64, "0")}`,
        },
      });
      expect(result.errors).toBeUndefined();
      versionIds.push(result.data!.registerDatasetVersion.datasetVersion.id);
    }
  }, 240_000);

  afterAll(async () => {
    await driver?.close();
    await app?.close();
    await graph?.dispose();
  });

  const status = async () => (await app.graphql(STATUS)).data!.graphProjection;
  const edgeIds = async () =>
    (await app.db.pool.query<{ id: string }>("SELECT id::text AS id FROM lineage_edge ORDER BY id")).rows.map((row) => row.id);
  const projectedCounts = async (ids: string[]) => {
    const result = await driver.executeQuery(
      "UNWIND $ids AS id OPTIONAL MATCH ()-[r:LINEAGE {id: id}]->() RETURN id, count(r) AS n",
      { ids },
    );
    return result.records.map((record) => (record.get("n") as { toNumber(): number }).toNumber());
  };

  it("answers LATEST reads from Neo4j once the projection has caught up", async () => {
    const result = await app.graphql(LINEAGE, { id: versionIds[0], consistency: "LATEST" });
    expect(result.errors).toBeUndefined();
    expect(result.data!.lineage.source).toEqual({ store: "neo4j", consistent: true, lagRows: 0, fallback: "NONE", reason: null });
    expect(await status()).toMatchObject({ configured: true, store: "neo4j", lagRows: 0, projectorRunning: true });
  });

  it("keeps writing while Neo4j is down, answers from Postgres saying why, and reports the lag", async () => {
    const headBefore = (await status()).head;
    await graph.stop();
    for (let run = 0; run < RUNS; run += 1) {
      const result = await app.graphql(START_RUN, {
        input: {
          namespace: "outage",
          job: `reader-${run}`,
          inputs: versionIds.map((id, i) => ({ datasetVersionId: id, role: i % 2 === 0 ? "TRAIN" : "VALIDATION" })),
        },
      });
      expect(result.errors).toBeUndefined();
    }
    const { rows } = await app.db.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM lineage_edge WHERE kind = 'CONSUMED'",
    );
    expect(rows[0]!.n).toBe(VERSIONS * RUNS);

    for (const consistency of ["EVENTUAL", "LATEST"]) {
      const result = await app.graphql(LINEAGE, { id: versionIds[0], consistency });
      expect(result.errors).toBeUndefined();
      const lineage = result.data!.lineage;
      expect(lineage.source.store).toBe("postgres");
      expect(lineage.source.consistent).toBe(true);
      expect(lineage.source.fallback).not.toBe("NONE");
      expect(lineage.source.reason).toMatch(/Neo4j|projection/);
      // Postgres has every write: the version feeds all ten runs.
      expect(lineage.nodes).toHaveLength(1 + RUNS);
    }

    const written = await app.db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM graph_outbox WHERE id > $1", [
      headBefore,
    ]);
    const during = await status();
    // Each run is a job and a run registration: two outbox rows, none applied.
    expect(written.rows[0]!.n).toBe(2 * RUNS);
    expect(during.lagRows).toBe(2 * RUNS);
    expect(during.head - during.position).toBeGreaterThanOrEqual(RUNS);
    expect(during.consecutiveFailures).toBeGreaterThan(0);
    expect(during.lastError).toBeTruthy();
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`^pedigree_graph_projection_lag_rows ${2 * RUNS}$`, "m"));
    expect(metrics).toMatch(/^pedigree_graph_projection_consecutive_failures [1-9]/m);
    expect(metrics).toMatch(/^pedigree_lineage_reads_total\{store="postgres",fallback="(unavailable|error|timeout)"\} [1-9]/m);
  }, 120_000);

  it("after Neo4j restarts, projects every edge written during the outage exactly once", async () => {
    await graph.start();
    const deadline = Date.now() + 90_000;
    let current = await status();
    while (current.lagRows > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      current = await status();
    }
    expect(current).toMatchObject({ lagRows: 0, consecutiveFailures: 0 });
    expect(current.position).toBe(current.head);

    const ids = await edgeIds();
    expect(ids).toHaveLength(VERSIONS * RUNS);
    const counts = await projectedCounts(ids);
    expect(counts.every((n) => n === 1)).toBe(true);
    const total = await driver.executeQuery("MATCH ()-[r:LINEAGE]->() RETURN count(r) AS n");
    expect(total.records[0]!.get("n").toNumber()).toBe(ids.length);

    const fromPostgres = await app.graphql(
      LINEAGE.replace("consistency: $consistency", "consistency: $consistency, asOf: null"),
      {
        id: versionIds[0],
        consistency: "LATEST",
      },
    );
    const fromNeo4j = await app.graphql(LINEAGE, { id: versionIds[0], consistency: "LATEST" });
    expect(fromNeo4j.data!.lineage.source.store).toBe("neo4j");
    expect(fromNeo4j.data!.lineage.nodes).toHaveLength(1 + RUNS);
    const { source: _a, ...neo4jGraph } = fromNeo4j.data!.lineage;
    const { source: _b, ...sameGraph } = fromPostgres.data!.lineage;
    expect(neo4jGraph).toEqual(sameGraph);
  }, 120_000);

  it("`npm run graph:rebuild` restores a damaged projection from Postgres", async () => {
    const ids = await edgeIds();
    // Damage: lose a hundred edges, and gain one that the record never had.
    await driver.executeQuery("UNWIND $ids AS id MATCH ()-[r:LINEAGE {id: id}]->() DELETE r", { ids: ids.slice(0, 100) });
    await driver.executeQuery(
      "MERGE (a:LineageNode {key: 'RUN:bogus-a'}) MERGE (b:LineageNode {key: 'RUN:bogus-b'}) MERGE (a)-[:LINEAGE {id: 'bogus'}]->(b)",
    );
    const scratchUrl = app.db.url;
    const { stdout, stderr } = await promisify(execFile)("npx", ["tsx", "server/lineage/rebuild-graph-command.ts"], {
      cwd: fileURLToPath(new URL("../..", import.meta.url)),
      env: { ...process.env, DATABASE_URL: scratchUrl, NEO4J_URL: graph.url, LOG_LEVEL: "silent" },
      timeout: 120_000,
    });
    expect(stdout).toMatch(new RegExp(`Rebuilt the lineage graph: ${ids.length} edges`));
    expect(stderr).toMatch(/100%/);
    expect(await projectedCounts(ids)).toEqual(ids.map(() => 1));
    const bogus = await driver.executeQuery("MATCH (n:LineageNode) WHERE n.key STARTS WITH 'RUN:bogus' RETURN count(n) AS n");
    expect(bogus.records[0]!.get("n").toNumber()).toBe(0);
    const { rows } = await app.db.pool.query<{ position: number }>(
      "SELECT position FROM graph_projection_checkpoint WHERE projection = $1",
      [NEO4J_PROJECTION],
    );
    expect(Number(rows[0]!.position)).toBe((await status()).head);
  }, 180_000);
});
