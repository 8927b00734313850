import { type Server, type Socket, createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceUrls } from "../testing/service-urls.js";
import { type TestApp, startTestApp } from "../testing/test-app.js";

// How a lineage read chooses its store when the projection is behind, or Neo4j does not answer.

const REGISTER_VERSION = `mutation($input: RegisterDatasetVersionInput!) { registerDatasetVersion(input: $input) { datasetVersion { id } } }`;
const LINEAGE = `query($id: ID!, $consistency: LineageConsistency) {
  lineage(nodeId: $id, consistency: $consistency) { nodes { id } source { store consistent lagRows fallback reason } }
}`;

async function registerVersion(app: TestApp, name: string): Promise<string> {
  const result = await app.graphql(REGISTER_VERSION, {
    input: {
      namespace: "routing",
      dataset: name,
      uri: `file:///routing/${name}`,
      format: "CSV",
      digest: `sha256:${Buffer.from(name).toString("hex").padEnd(64, "0").slice(0, 64)}`,
    },
  });
  expect(result.errors).toBeUndefined();
  return result.data!.registerDatasetVersion.datasetVersion.id;
}

describe("a projection that is behind (no projector running)", () => {
  let app: TestApp;
  let versionId: string;

  beforeAll(async () => {
    app = await startTestApp({
      database: "postgres",
      config: { neo4jUrl: serviceUrls().neo4j, graphProjector: false, graphMaxLagSeconds: 0, graphConsistencyTimeoutMs: 300 },
    });
    versionId = await registerVersion(app, "behind");
    // Let the unapplied rows age past graphMaxLagSeconds = 0.
    await new Promise((resolve) => setTimeout(resolve, 20));
  });
  afterAll(async () => {
    await app?.close();
  });

  it("answers EVENTUAL reads from Postgres, saying how far behind the graph is", async () => {
    const result = await app.graphql(LINEAGE, { id: versionId, consistency: "EVENTUAL" });
    expect(result.errors).toBeUndefined();
    const source = result.data!.lineage.source;
    expect(source).toMatchObject({ store: "postgres", consistent: true, fallback: "BEHIND" });
    expect(source.lagRows).toBeGreaterThan(0);
    expect(source.reason).toMatch(/behind/);
  });

  it("waits for LATEST up to the timeout, then answers from Postgres", async () => {
    const started = Date.now();
    const result = await app.graphql(LINEAGE, { id: versionId, consistency: "LATEST" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(result.data!.lineage.source).toMatchObject({ store: "postgres", consistent: true, fallback: "BEHIND" });
    expect(result.data!.lineage.source.reason).toMatch(/after 300 ms/);
    expect(result.data!.lineage.nodes).toHaveLength(1);
  });
});

describe("a Neo4j that accepts connections but never answers", () => {
  let silent: Server;
  const sockets = new Set<Socket>();
  let app: TestApp;
  let versionId: string;

  beforeAll(async () => {
    silent = createServer((socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as { port: number }).port;
    app = await startTestApp({
      database: "postgres",
      config: { neo4jUrl: `bolt://127.0.0.1:${port}`, graphProjector: false, graphQueryTimeoutMs: 300 },
    });
    versionId = await registerVersion(app, "silent");
  });
  afterAll(async () => {
    await app?.close();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent?.close(resolve));
  });

  it("gives up after the query timeout and answers from Postgres instead of hanging", async () => {
    // The projection has nothing to apply, so the router tries Neo4j and must stop waiting for it.
    await app.db.pool.query(
      "INSERT INTO graph_projection_checkpoint (projection, position) SELECT 'neo4j', coalesce(max(id), 0) FROM graph_outbox",
    );
    const result = await app.graphql(LINEAGE, { id: versionId });
    expect(result.errors).toBeUndefined();
    const source = result.data!.lineage.source;
    expect(source.store).toBe("postgres");
    expect(["TIMEOUT", "ERROR"]).toContain(source.fallback);
    expect(source.reason).toMatch(/Neo4j/);
    expect(result.data!.lineage.nodes).toHaveLength(1);
  });
});
