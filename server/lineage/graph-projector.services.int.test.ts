import neo4j from "neo4j-driver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LineageGraph, LineageNodeKey } from "../../graph/lineage-store.js";
import { Neo4jLineageStore } from "../../graph/neo4j/neo4j-lineage-store.js";
import { PostgresLineageStore } from "../../graph/postgres/postgres-lineage-store.js";
import { seedDemo } from "../demo/demo-seed.js";
import { serviceUrls } from "../testing/service-urls.js";
import { type TestApp, startTestApp } from "../testing/test-app.js";
import { GraphProjectionRepository } from "./graph-projection.repository.js";
import { GraphProjector } from "./graph-projector.js";

// The Neo4j projection of a real lineage (the demo, written through the API) answers exactly what the
// system of record answers. Needs the Neo4j of scripts/services.sh.
describe("graph outbox → Neo4j projection", () => {
  let app: TestApp;
  let neo4jStore: Neo4jLineageStore;
  let postgresStore: PostgresLineageStore;
  let projector: GraphProjector;
  let projection: GraphProjectionRepository;

  beforeAll(async () => {
    app = await startTestApp();
    await seedDemo(`${app.url}/graphql`);
    neo4jStore = await Neo4jLineageStore.open({ url: serviceUrls().neo4j });
    postgresStore = new PostgresLineageStore(app.db.pool);
    projection = new GraphProjectionRepository(app.db);
    projector = new GraphProjector(projection, neo4jStore, `neo4j-test-${Date.now()}`);
  });
  afterAll(async () => {
    await neo4jStore?.close();
    await app?.close();
  });

  const roots = async (): Promise<LineageNodeKey[]> => {
    const { rows } = await app.db.pool.query<{ type: LineageNodeKey["type"]; id: string }>(
      `SELECT DISTINCT upstream_type::text AS type, upstream_id::text AS id FROM lineage_edge
       UNION SELECT DISTINCT downstream_type::text, downstream_id::text FROM lineage_edge ORDER BY 2`,
    );
    return rows;
  };
  const comparable = (graph: LineageGraph) => ({
    ...graph,
    edges: graph.edges.map((edge) => ({
      ...edge,
      validFrom: edge.validFrom.toISOString(),
      validTo: edge.validTo?.toISOString() ?? null,
    })),
  });

  it("drains the outbox in order, reports no lag after, and answers like Postgres for every node", async () => {
    const before = await projector.lag();
    expect(before.rows).toBeGreaterThan(50);
    const applied = await projector.projectUntilIdle(25);
    expect(applied).toBe(before.rows);
    expect(await projector.lag()).toMatchObject({ rows: 0, seconds: 0 });

    for (const root of await roots()) {
      for (const direction of ["UPSTREAM", "DOWNSTREAM"] as const) {
        const options = { root, direction, maxDepth: 10, limit: 1_000 };
        expect(comparable(await neo4jStore.traverse(options)), `${direction} of ${root.type} ${root.id}`).toEqual(
          comparable(await postgresStore.traverse(options)),
        );
      }
    }
  });

  it("projects closed edges: what served production before the canary matches too", async () => {
    const { rows } = await app.db.pool.query<{ id: string; valid_to: Date }>(
      "SELECT downstream_id::text AS id, valid_to FROM lineage_edge WHERE kind = 'SERVES' AND valid_to IS NOT NULL ORDER BY valid_to LIMIT 1",
    );
    const asOf = new Date(rows[0]!.valid_to.getTime() - 1);
    const options = {
      root: { type: "DEPLOYMENT" as const, id: rows[0]!.id },
      direction: "UPSTREAM" as const,
      maxDepth: 1,
      limit: 10,
      asOf,
    };
    const fromNeo4j = await neo4jStore.traverse(options);
    expect(comparable(fromNeo4j)).toEqual(comparable(await postgresStore.traverse(options)));
    expect(fromNeo4j.nodes).toHaveLength(2);
  });

  it("replaying the whole outbox changes nothing: every edge once", async () => {
    const { rows } = await app.db.pool.query<{ id: string }>("SELECT id::text AS id FROM lineage_edge");
    const edgeIds = rows.map((row) => row.id);
    // A projection with a fresh checkpoint starts from the first outbox row: every edge again.
    const replay = new GraphProjector(projection, neo4jStore, `replay-${Date.now()}`);
    await replay.projectUntilIdle(50);
    const driver = neo4j.driver(serviceUrls().neo4j);
    try {
      const result = await driver.executeQuery("MATCH ()-[r:LINEAGE]->() WHERE r.id IN $ids RETURN count(r) AS n", {
        ids: edgeIds,
      });
      expect(result.records[0]?.get("n").toNumber()).toBe(edgeIds.length);
    } finally {
      await driver.close();
    }
  });
});
