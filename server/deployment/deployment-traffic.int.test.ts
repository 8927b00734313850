import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestApp, startTestApp } from "../testing/test-app.js";
import { CREATE, SET_TRAFFIC, SIDE_TABLES, UNKNOWN, deploymentFixtures, keyOf, nodeId, sleep } from "./deployment.fixtures.js";

describe("deployment traffic revisions", () => {
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

  it("answers what served when: servingAt, revisions and closed SERVES edges", async () => {
    const [a, b, c] = [await modelVersion(), await modelVersion(), await modelVersion()];
    const deployment = await createDeployment("timeline");
    expect(deployment.currentRevision).toBeNull();
    const beforeFirst = new Date();
    await sleep(30);

    const first = await app.graphql(SET_TRAFFIC, {
      input: { deploymentId: deployment.id, trafficSplit: [{ modelVersionId: a, percent: 100 }], reason: "launch" },
    });
    expect(first.errors).toBeUndefined();
    expect(first.data!.setDeploymentTraffic).toMatchObject({
      revision: 1,
      actor: "anonymous",
      reason: "launch",
      deployment: { name: "timeline" },
    });
    await sleep(30);
    const between = new Date();
    await sleep(30);
    const second = await app.graphql(
      SET_TRAFFIC,
      {
        input: {
          deploymentId: deployment.id,
          trafficSplit: [
            { modelVersionId: b, percent: 66.6 },
            { modelVersionId: c, percent: 33.4 },
          ],
          reason: "canary",
        },
      },
      { "x-pedigree-actor": "bob" },
    );
    expect(second.errors).toBeUndefined();
    expect(second.data!.setDeploymentTraffic).toMatchObject({
      revision: 2,
      actor: "bob",
      trafficSplit: [
        { percent: 66.6, modelVersion: { id: b } },
        { percent: 33.4, modelVersion: { id: c } },
      ],
    });

    const query = `query($before: DateTime!, $between: DateTime!, $now: DateTime!) { deployment(namespace: "serving", name: "timeline") {
      early: servingAt(asOf: $before) { revision }
      middle: servingAt(asOf: $between) { revision trafficSplit { modelVersion { id } } }
      late: servingAt(asOf: $now) { revision }
      currentRevision { revision reason }
      revisions { totalCount edges { node { revision } } } } }`;
    const answer = await app.graphql(query, {
      before: beforeFirst.toISOString(),
      between: between.toISOString(),
      now: new Date().toISOString(),
    });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.deployment).toEqual({
      early: null,
      middle: { revision: 1, trafficSplit: [{ modelVersion: { id: a } }] },
      late: { revision: 2 },
      currentRevision: { revision: 2, reason: "canary" },
      revisions: { totalCount: 2, edges: [{ node: { revision: 2 } }, { node: { revision: 1 } }] },
    });

    const edges = await servesEdges(deployment.id);
    expect(edges).toHaveLength(3);
    const [closed, ...open] = edges;
    expect(closed).toMatchObject({ upstream: keyOf(a), percent: 100 });
    expect(closed!.valid_to).toBeInstanceOf(Date);
    expect(closed!.valid_to!.getTime()).toBeGreaterThan(between.getTime());
    expect(open.map(({ upstream, percent, valid_to }) => ({ upstream, percent, valid_to }))).toEqual([
      { upstream: keyOf(b), percent: 66.6, valid_to: null },
      { upstream: keyOf(c), percent: 33.4, valid_to: null },
    ]);
    expect(open[0]!.valid_from.getTime()).toBe(closed!.valid_to!.getTime());
    const { rows } = await app.db.pool.query(
      "SELECT before->>'revision' AS b, after->>'revision' AS a FROM audit_event WHERE action = 'deployment_revision.created' ORDER BY id DESC LIMIT 1",
    );
    expect(rows[0]).toEqual({ b: "1", a: "2" });
  });

  it("numbers concurrent traffic changes consecutively and leaves one split open", async () => {
    const versions = [
      await modelVersion(),
      await modelVersion(),
      await modelVersion(),
      await modelVersion(),
      await modelVersion(),
    ];
    const deployment = await createDeployment("busy");
    const results = await Promise.all(
      versions.map((version) =>
        app.graphql(SET_TRAFFIC, {
          input: { deploymentId: deployment.id, trafficSplit: [{ modelVersionId: version, percent: 100 }] },
        }),
      ),
    );
    expect(results.map((r) => r.errors)).toEqual(results.map(() => undefined));
    expect(results.map((r) => r.data!.setDeploymentTraffic.revision).sort()).toEqual([1, 2, 3, 4, 5]);
    const edges = await servesEdges(deployment.id);
    expect(edges).toHaveLength(5);
    const open = edges.filter((edge) => edge.valid_to === null);
    const current = await app.graphql(
      `{ deployment(namespace: "serving", name: "busy") { currentRevision { trafficSplit { modelVersion { id } } } } }`,
    );
    const servingNow = current.data!.deployment.currentRevision.trafficSplit[0].modelVersion.id;
    expect(open.map((edge) => edge.upstream)).toEqual([keyOf(servingNow)]);
  });

  describe("rejects a bad traffic split and writes nothing", () => {
    let deploymentId: string;
    let ours: string[];
    let foreign: string;
    beforeAll(async () => {
      ours = [await modelVersion(), await modelVersion()];
      foreign = await modelVersion("elsewhere");
      deploymentId = (await createDeployment("guarded")).id;
    });

    it.each([
      [
        "percents summing to 90",
        () => [
          { modelVersionId: ours[0], percent: 60 },
          { modelVersionId: ours[1], percent: 30 },
        ],
        "BAD_USER_INPUT",
        "input.trafficSplit",
        /summing to 100; got 90/,
      ],
      [
        "a zero percent",
        () => [
          { modelVersionId: ours[0], percent: 100 },
          { modelVersionId: ours[1], percent: 0 },
        ],
        "BAD_USER_INPUT",
        "input.trafficSplit",
        /above 0/,
      ],
      [
        "a percent over 100",
        () => [
          { modelVersionId: ours[0], percent: 150 },
          { modelVersionId: ours[1], percent: -50 },
        ],
        "BAD_USER_INPUT",
        "input.trafficSplit",
        /at most 100/,
      ],
      [
        "a version twice",
        () => [
          { modelVersionId: ours[0], percent: 50 },
          { modelVersionId: ours[0], percent: 50 },
        ],
        "BAD_USER_INPUT",
        "input.trafficSplit",
        /twice/,
      ],
      ["no shares", () => [], "BAD_USER_INPUT", "input.trafficSplit", /1 to 10 shares/],
      [
        "eleven shares",
        () => Array.from({ length: 11 }, () => ({ modelVersionId: ours[0], percent: 100 / 11 })),
        "BAD_USER_INPUT",
        "input.trafficSplit",
        /1 to 10 shares/,
      ],
      [
        "an unknown model version",
        () => [
          { modelVersionId: ours[0], percent: 50 },
          { modelVersionId: nodeId("ModelVersion", UNKNOWN), percent: 50 },
        ],
        "NOT_FOUND",
        "input.trafficSplit[1].modelVersionId",
        /Model version ".*" not found/,
      ],
      [
        "a version of another namespace",
        () => [{ modelVersionId: foreign, percent: 100 }],
        "BAD_USER_INPUT",
        "input.trafficSplit[0].modelVersionId",
        /deployment's namespace/,
      ],
      [
        "an id of another kind",
        () => [{ modelVersionId: nodeId("Run", UNKNOWN), percent: 100 }],
        "BAD_USER_INPUT",
        "input.trafficSplit[0].modelVersionId",
        /must be the id of a ModelVersion/,
      ],
    ])("%s", async (_label, shares, code, field, message) => {
      const before = await app.countRows(SIDE_TABLES);
      const result = await app.graphql(SET_TRAFFIC, { input: { deploymentId, trafficSplit: shares() } });
      expect(result.data).toBeNull();
      expect(result.errors?.[0]?.extensions).toMatchObject({ code, field });
      expect(result.errors?.[0]?.message).toMatch(message);
      expect(JSON.stringify(result.errors)).not.toMatch(/prisma|SELECT|INSERT|at .*\.ts/i);

      const viaCreate = await app.graphql(CREATE, {
        input: { namespace: "serving", name: "never-created", environment: "production", trafficSplit: shares() },
      });
      expect(viaCreate.errors?.[0]?.extensions).toMatchObject({ code, field });
      expect(await app.countRows(SIDE_TABLES)).toEqual(before);
    });

    it("an unknown or wrongly typed deployment id", async () => {
      const before = await app.countRows(SIDE_TABLES);
      const trafficSplit = [{ modelVersionId: ours[0], percent: 100 }];
      const unknown = await app.graphql(SET_TRAFFIC, { input: { deploymentId: nodeId("Deployment", UNKNOWN), trafficSplit } });
      expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: "NOT_FOUND", field: "input.deploymentId" });
      const wrongKind = await app.graphql(SET_TRAFFIC, { input: { deploymentId: ours[0], trafficSplit } });
      expect(wrongKind.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.deploymentId" });
      expect(await app.countRows(SIDE_TABLES)).toEqual(before);
    });
  });
});
