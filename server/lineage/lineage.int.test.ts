import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../demo/demo-seed.js";
import { type TestApp, startTestApp } from "../testing/test-app.js";

const LINEAGE = `query($id: ID!, $direction: LineageDirection, $depth: Int, $limit: Int, $asOf: DateTime, $types: [LineageNodeType!], $kinds: [LineageEdgeKind!]) {
  lineage(nodeId: $id, direction: $direction, depth: $depth, limit: $limit, asOf: $asOf, nodeTypes: $types, edgeKinds: $kinds) {
    truncated
    nodes { id type depth node { __typename ... on Deployment { name } ... on DatasetVersion { version dataset { name } } ... on ModelVersion { version } } }
    edges { upstreamId downstreamId kind role properties validFrom validTo }
  }
}`;

const rawId = (globalId: string) => Buffer.from(globalId, "base64url").toString().split(":")[1]!;

describe("lineage queries over the demo lineage", () => {
  let app: TestApp;
  let production: {
    id: string;
    revisions: Array<{
      revision: number;
      createdAt: string;
      trafficSplit: Array<{ modelVersion: { id: string; version: number } }>;
    }>;
  };
  let rawV1: string;

  beforeAll(async () => {
    app = await startTestApp();
    await seedDemo(`${app.url}/graphql`);
    const deployment = await app.graphql(`{ deployment(namespace: "acme-ml", name: "churn-production") {
      id revisions(first: 10) { edges { node { revision createdAt trafficSplit { modelVersion { id version } } } } } } }`);
    production = {
      id: deployment.data!.deployment.id,
      revisions: deployment.data!.deployment.revisions.edges.map((e: any) => e.node),
    };
    const raw = await app.graphql(
      `{ dataset(namespace: "acme-ml", name: "raw/clickstream_events") { versions(orderBy: { field: VERSION, direction: ASC }) { edges { node { id } } } } }`,
    );
    rawV1 = raw.data!.dataset.versions.edges[0].node.id;
  });
  afterAll(async () => {
    await app?.close();
  });

  it("finds the deployments downstream of a raw dataset version, through features and training runs", async () => {
    const result = await app.graphql(LINEAGE, { id: rawV1, depth: 8, types: ["DEPLOYMENT", "MODEL_VERSION"] });
    expect(result.errors).toBeUndefined();
    const graph = result.data!.lineage;
    expect(graph.nodes[0]).toMatchObject({
      id: rawV1,
      type: "DATASET_VERSION",
      depth: 0,
      node: { version: 1, dataset: { name: "raw/clickstream_events" } },
    });
    expect(
      graph.nodes
        .filter((n: any) => n.type === "DEPLOYMENT")
        .map((n: any) => n.node.name)
        .sort(),
    ).toEqual(["churn-production", "churn-staging"]);
    expect(
      graph.nodes
        .filter((n: any) => n.type === "MODEL_VERSION")
        .map((n: any) => n.node.version)
        .sort(),
    ).toEqual([1, 2, 3]);
    expect(graph.truncated).toBe(false);
  });

  it("walks upstream from production to the exact data versions, with roles on the edges", async () => {
    const result = await app.graphql(LINEAGE, {
      id: production.id,
      direction: "UPSTREAM",
      depth: 3,
      kinds: ["SERVES", "PRODUCED", "CONSUMED"],
    });
    expect(result.errors).toBeUndefined();
    const graph = result.data!.lineage;
    const versions = graph.nodes
      .filter((n: any) => n.type === "DATASET_VERSION")
      .map((n: any) => `${n.node.dataset.name}@${n.node.version}`);
    expect(versions.sort()).toEqual(["features/user_activity_daily@2", "features/user_activity_holdout@2"]);
    expect(
      graph.edges
        .filter((e: any) => e.kind === "CONSUMED")
        .map((e: any) => e.role)
        .sort(),
    ).toEqual(["TRAIN", "TRAIN", "VALIDATION", "VALIDATION"]);
    expect(
      graph.edges
        .filter((e: any) => e.kind === "SERVES")
        .map((e: any) => e.properties.percent)
        .sort(),
    ).toEqual([10, 90]);
  });

  it("answers what served production as of a past revision", async () => {
    const first = production.revisions.find((r) => r.revision === 1)!;
    const second = production.revisions.find((r) => r.revision === 2)!;
    const between = new Date((Date.parse(first.createdAt) + Date.parse(second.createdAt)) / 2).toISOString();
    const then = await app.graphql(LINEAGE, { id: production.id, direction: "UPSTREAM", depth: 1, asOf: between });
    expect(then.data!.lineage.nodes.slice(1).map((n: any) => n.node.version)).toEqual([1]);
    const now = await app.graphql(LINEAGE, { id: production.id, direction: "UPSTREAM", depth: 1 });
    expect(
      now
        .data!.lineage.nodes.slice(1)
        .map((n: any) => n.node.version)
        .sort(),
    ).toEqual([2, 3]);
  });

  it("marks a walk cut short by the node limit or the depth", async () => {
    const limited = await app.graphql(LINEAGE, { id: rawV1, depth: 8, limit: 3 });
    expect(limited.data!.lineage.nodes).toHaveLength(3);
    expect(limited.data!.lineage.truncated).toBe(true);
    const shallow = await app.graphql(LINEAGE, { id: rawV1, depth: 1 });
    expect(shallow.data!.lineage.truncated).toBe(true);
  });

  it("terminates on a cycle in the registered edges", async () => {
    const runs = await app.graphql(`{ runs(first: 2, filter: { namespace: "acme-ml" }) { edges { node { id } } } }`);
    const [a, b] = runs.data!.runs.edges.map((e: any) => rawId(e.node.id));
    await app.db.pool.query(
      `INSERT INTO lineage_edge (upstream_type, upstream_id, downstream_type, downstream_id, kind)
       VALUES ('RUN', $1, 'RUN', $2, 'PARENT_OF'), ('RUN', $2, 'RUN', $1, 'PARENT_OF')`,
      [a, b],
    );
    const started = performance.now();
    const result = await app.graphql(LINEAGE, {
      id: runs.data!.runs.edges[0].node.id,
      direction: "BOTH",
      depth: 10,
      kinds: ["PARENT_OF"],
    });
    expect(result.errors).toBeUndefined();
    expect(result.data!.lineage.nodes.filter((n: any) => rawId(n.id) === b)).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it.each([
    ["an undecodable id", { id: "nope" }, "BAD_USER_INPUT", "nodeId"],
    [
      "a namespace id",
      { id: Buffer.from("Namespace:00000000-0000-4000-8000-000000000001").toString("base64url") },
      "BAD_USER_INPUT",
      "nodeId",
    ],
    [
      "an unknown run",
      { id: Buffer.from("Run:00000000-0000-4000-8000-000000000001").toString("base64url") },
      "NOT_FOUND",
      "nodeId",
    ],
    ["a depth of 0", { depth: 0 }, "BAD_USER_INPUT", "depth"],
    ["a depth over the cap", { depth: 11 }, "BAD_USER_INPUT", "depth"],
    ["a limit over the cap", { limit: 5_000 }, "BAD_USER_INPUT", "limit"],
  ])("refuses %s", async (_label, variables, code, field) => {
    const result = await app.graphql(LINEAGE, { id: rawV1, ...variables });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code, field });
  });
});
