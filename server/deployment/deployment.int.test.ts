import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestApp, startTestApp } from "../testing/test-app.js";
import { CREATE, SET_TRAFFIC, SIDE_TABLES, UNKNOWN, deploymentFixtures, keyOf, nodeId } from "./deployment.fixtures.js";

describe("deployments", () => {
  let app: TestApp;
  let modelVersion: ReturnType<typeof deploymentFixtures>["modelVersion"];
  let createDeployment: ReturnType<typeof deploymentFixtures>["createDeployment"];
  let servesEdges: ReturnType<typeof deploymentFixtures>["servesEdges"];

  beforeAll(async () => {
    app = await startTestApp();
    ({ modelVersion, createDeployment, servesEdges } = deploymentFixtures(app));
  });
  afterAll(async () => {
    await app?.close();
  });

  it("creates a deployment with a first revision, its SERVES edges, audit and outbox rows", async () => {
    const [v1, v2] = [await modelVersion(), await modelVersion()];
    const before = await app.countRows(SIDE_TABLES);
    const result = await app.graphql(
      CREATE,
      {
        input: {
          namespace: "serving",
          name: "ranker-api",
          environment: "production",
          description: "ranks search results",
          trafficSplit: [
            { modelVersionId: v1, percent: 90 },
            { modelVersionId: v2, percent: 10 },
          ],
          reason: "initial rollout",
        },
      },
      { "x-pedigree-actor": "alice@example.com" },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.createDeployment).toMatchObject({
      created: true,
      deployment: {
        name: "ranker-api",
        environment: "production",
        description: "ranks search results",
        namespace: { name: "serving" },
        currentRevision: {
          revision: 1,
          actor: "alice@example.com",
          reason: "initial rollout",
          trafficSplit: [
            { percent: 90, modelVersion: { id: v1, version: 1 } },
            { percent: 10, modelVersion: { id: v2, version: 2 } },
          ],
        },
      },
    });
    const after = await app.countRows(SIDE_TABLES);
    expect(after.deployment).toBe(before.deployment! + 1);
    expect(after.deployment_revision).toBe(before.deployment_revision! + 1);
    expect(after.lineage_edge).toBe(before.lineage_edge! + 2);
    expect(after.audit_event).toBe(before.audit_event! + 2);
    expect(after.graph_outbox).toBe(before.graph_outbox! + 2);
    const edges = await servesEdges(result.data!.createDeployment.deployment.id);
    expect(
      edges.map(({ upstream, upstream_type, percent, valid_to }) => ({ upstream, upstream_type, percent, valid_to })),
    ).toEqual([
      { upstream: keyOf(v1), upstream_type: "MODEL_VERSION", percent: 90, valid_to: null },
      { upstream: keyOf(v2), upstream_type: "MODEL_VERSION", percent: 10, valid_to: null },
    ]);
    const { rows } = await app.db.pool.query(
      "SELECT action, actor FROM audit_event WHERE target_type IN ('Deployment', 'DeploymentRevision') ORDER BY id",
    );
    expect(rows).toEqual([
      { action: "deployment.created", actor: "alice@example.com" },
      { action: "deployment_revision.created", actor: "alice@example.com" },
    ]);
  });

  it("returns an existing deployment unchanged in the same environment and refuses another environment", async () => {
    const first = await createDeployment("idem", { description: "one" });
    const version = await modelVersion();
    const before = await app.countRows(SIDE_TABLES);
    const again = await app.graphql(CREATE, {
      input: { namespace: "serving", name: "idem", environment: "production", description: "two" },
    });
    expect(again.data!.createDeployment).toEqual({ created: false, deployment: first });
    // A split for a deployment that serves none yet is not silently dropped: setDeploymentTraffic sets it.
    const withSplit = await app.graphql(CREATE, {
      input: {
        namespace: "serving",
        name: "idem",
        environment: "production",
        description: "two",
        trafficSplit: [{ modelVersionId: version, percent: 100 }],
      },
    });
    expect(withSplit.data).toBeNull();
    expect(withSplit.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", field: "input.trafficSplit" });
    expect(withSplit.errors?.[0]?.message).toBe(
      'Deployment "idem" already exists and has no traffic split yet; call setDeploymentTraffic to change its traffic split.',
    );
    const conflict = await app.graphql(CREATE, { input: { namespace: "serving", name: "idem", environment: "staging" } });
    expect(conflict.data).toBeNull();
    expect(conflict.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", field: "input.environment" });
    expect(conflict.errors?.[0]?.message).toBe('Deployment "idem" already exists in environment "production", not "staging".');
    expect(await app.countRows(SIDE_TABLES)).toEqual(before);
  });

  it.each([
    ["environment", { environment: "Prod!" }, "input.environment"],
    ["name", { name: " leading-space" }, "input.name"],
    ["reason", { reason: "x".repeat(2_001) }, "input.reason"],
  ])("rejects a bad %s on create with BAD_USER_INPUT and writes nothing", async (_label, overrides, field) => {
    const before = await app.countRows(SIDE_TABLES);
    const result = await app.graphql(CREATE, {
      input: { namespace: "fresh-ns", name: "bad", environment: "production", ...overrides },
    });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field });
    expect(result.errors?.[0]?.message).toContain(`"${field}"`);
    expect(await app.countRows(SIDE_TABLES)).toEqual(before);
  });

  it("updates description and environment", async () => {
    const deployment = await createDeployment("movable", { description: "old" });
    const update = `mutation($input: UpdateDeploymentInput!) { updateDeployment(input: $input) { id description environment } }`;
    const result = await app.graphql(update, { input: { id: deployment.id, description: "new", environment: "staging" } });
    expect(result.data!.updateDeployment).toEqual({ id: deployment.id, description: "new", environment: "staging" });
    const { rows } = await app.db.pool.query(
      "SELECT before->>'environment' AS b, after->>'environment' AS a FROM audit_event WHERE action = 'deployment.updated'",
    );
    expect(rows).toEqual([{ b: "production", a: "staging" }]);

    const before = await app.countRows(SIDE_TABLES);
    const missing = await app.graphql(update, { input: { id: nodeId("Deployment", UNKNOWN), description: "x" } });
    expect(missing.errors?.[0]?.extensions).toMatchObject({ code: "NOT_FOUND", field: "input.id" });
    const badEnv = await app.graphql(update, { input: { id: deployment.id, environment: "9lives" } });
    expect(badEnv.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.environment" });
    expect(await app.countRows(SIDE_TABLES)).toEqual(before);
  });

  it("pages deployments and revisions with cursors, filters and ordering", async () => {
    const version = await modelVersion("paging");
    for (let i = 0; i < 5; i += 1) {
      const result = await app.graphql(CREATE, {
        input: { namespace: "paging", name: `d${i}`, environment: i % 2 === 0 ? "production" : "staging" },
      });
      expect(result.errors).toBeUndefined();
    }
    const query = `query($after: String) {
      deployments(first: 2, after: $after, filter: { namespace: "paging" }, orderBy: { field: NAME, direction: DESC }) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { name } }
      }
    }`;
    const names: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page += 1) {
      const result: any = await app.graphql(query, { after });
      expect(result.errors).toBeUndefined();
      expect(result.data.deployments.totalCount).toBe(5);
      names.push(...result.data.deployments.edges.map((edge: any) => edge.node.name));
      if (!result.data.deployments.pageInfo.hasNextPage) break;
      after = result.data.deployments.pageInfo.endCursor;
    }
    expect(names).toEqual(["d4", "d3", "d2", "d1", "d0"]);

    const staging = await app.graphql(
      `{ deployments(filter: { namespace: "paging", environment: "staging" }) { totalCount edges { node { name } } } }`,
    );
    expect(staging.data!.deployments).toEqual({ totalCount: 2, edges: [{ node: { name: "d1" } }, { node: { name: "d3" } }] });
    const contains = await app.graphql(
      `{ deployments(filter: { namespace: "paging", nameContains: "4" }) { edges { node { name } } } }`,
    );
    expect(contains.data!.deployments.edges).toEqual([{ node: { name: "d4" } }]);

    const d0 = (await app.graphql(`{ deployment(namespace: "paging", name: "d0") { id } }`)).data!.deployment.id;
    for (let i = 0; i < 3; i += 1) {
      const result = await app.graphql(SET_TRAFFIC, {
        input: { deploymentId: d0, trafficSplit: [{ modelVersionId: version, percent: 100 }], reason: `r${i}` },
      });
      expect(result.errors).toBeUndefined();
    }
    const revisionsQuery = `query($after: String) { deployment(namespace: "paging", name: "d0") {
      revisions(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { revision reason } } } } }`;
    const firstPage: any = await app.graphql(revisionsQuery, { after: null });
    expect(firstPage.data.deployment.revisions).toMatchObject({
      totalCount: 3,
      pageInfo: { hasNextPage: true },
      edges: [{ node: { revision: 3, reason: "r2" } }, { node: { revision: 2, reason: "r1" } }],
    });
    const secondPage: any = await app.graphql(revisionsQuery, { after: firstPage.data.deployment.revisions.pageInfo.endCursor });
    expect(secondPage.data.deployment.revisions).toMatchObject({
      pageInfo: { hasNextPage: false },
      edges: [{ node: { revision: 1, reason: "r0" } }],
    });
    // the same model version serving again keeps exactly one open SERVES edge
    expect((await servesEdges(d0)).filter((edge) => edge.valid_to === null)).toHaveLength(1);

    const missing = await app.graphql(`{ deployment(namespace: "paging", name: "nope") { id } }`);
    expect(missing.data!.deployment).toBeNull();
    const badEnvFilter = await app.graphql(`{ deployments(filter: { environment: "BAD" }) { totalCount } }`);
    expect(badEnvFilter.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "filter.environment" });
  });

  it("loads the traffic of many deployments in a constant number of statements", async () => {
    async function statementsFor(namespace: string, count: number) {
      for (let i = 0; i < count; i += 1) {
        const versions = [await modelVersion(namespace), await modelVersion(namespace)];
        const result = await app.graphql(CREATE, {
          input: {
            namespace,
            name: `svc${i}`,
            environment: "production",
            trafficSplit: [
              { modelVersionId: versions[0], percent: 50 },
              { modelVersionId: versions[1], percent: 50 },
            ],
          },
        });
        expect(result.errors).toBeUndefined();
      }
      const start = app.db.statements.count;
      const result = await app.graphql(
        `query($ns: String!) { deployments(first: 50, filter: { namespace: $ns }) {
        edges { node { name namespace { name } currentRevision { revision deployment { name }
          trafficSplit { percent modelVersion { version model { name } } } } revisions { totalCount } } } } }`,
        { ns: namespace },
      );
      const used = app.db.statements.count - start;
      expect(result.errors).toBeUndefined();
      expect(result.data!.deployments.edges).toHaveLength(count);
      expect(result.data!.deployments.edges[0].node.currentRevision.trafficSplit).toHaveLength(2);
      return used;
    }
    expect(await statementsFor("fanout-many", 6)).toBe(await statementsFor("fanout-few", 2));
  });

  it("finds deployments and revisions through node(id)", async () => {
    const version = await modelVersion();
    const created = await app.graphql(CREATE, {
      input: {
        namespace: "serving",
        name: "nodes",
        environment: "staging",
        trafficSplit: [{ modelVersionId: version, percent: 100 }],
      },
    });
    const deploymentId = created.data!.createDeployment.deployment.id;
    const revisions = await app.graphql(`{ deployment(namespace: "serving", name: "nodes") { currentRevision { id } } }`);
    const revisionId = revisions.data!.deployment.currentRevision.id;
    const result = await app.graphql(
      `query($d: ID!, $r: ID!) { d: node(id: $d) { id ... on Deployment { environment } } r: node(id: $r) { id ... on DeploymentRevision { revision } } }`,
      { d: deploymentId, r: revisionId },
    );
    expect(result.data).toEqual({ d: { id: deploymentId, environment: "staging" }, r: { id: revisionId, revision: 1 } });
    const missing = await app.graphql(`query($id: ID!) { node(id: $id) { id } }`, { id: nodeId("DeploymentRevision", UNKNOWN) });
    expect(missing.data!.node).toBeNull();
  });
});
