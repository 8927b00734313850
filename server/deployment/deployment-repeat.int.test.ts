import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestApp, startTestApp } from "../testing/test-app.js";
import { CREATE, SET_TRAFFIC, SIDE_TABLES, deploymentFixtures, keyOf } from "./deployment.fixtures.js";

describe("repeat createDeployment calls and stored revisions", () => {
  let app: TestApp;
  let modelVersion: ReturnType<typeof deploymentFixtures>["modelVersion"];
  let createDeployment: ReturnType<typeof deploymentFixtures>["createDeployment"];

  beforeAll(async () => {
    app = await startTestApp();
    ({ modelVersion, createDeployment } = deploymentFixtures(app));
  });
  afterAll(async () => {
    await app?.close();
  });

  it("returns an existing deployment for the split it serves and refuses another split", async () => {
    const [v1, v2] = [await modelVersion(), await modelVersion()];
    const split = [
      { modelVersionId: v1, percent: 80 },
      { modelVersionId: v2, percent: 20 },
    ];
    const first = await createDeployment("repeat-split", { trafficSplit: split });
    const input = { namespace: "serving", name: "repeat-split", environment: "production" };
    const before = await app.countRows(SIDE_TABLES);

    const same = await app.graphql(CREATE, { input: { ...input, trafficSplit: [...split].reverse() } });
    expect(same.data!.createDeployment).toEqual({ created: false, deployment: first });
    const none = await app.graphql(CREATE, { input });
    expect(none.data!.createDeployment).toEqual({ created: false, deployment: first });

    const shifted = await app.graphql(CREATE, {
      input: {
        ...input,
        trafficSplit: [
          { modelVersionId: v1, percent: 50 },
          { modelVersionId: v2, percent: 50 },
        ],
      },
    });
    expect(shifted.data).toBeNull();
    expect(shifted.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", field: "input.trafficSplit", currentRevision: 1 });
    expect(shifted.errors?.[0]?.message).toBe(
      'Deployment "repeat-split" already exists and revision 1 splits its traffic differently; ' +
        "call setDeploymentTraffic to change its traffic split.",
    );
    const subset = await app.graphql(CREATE, { input: { ...input, trafficSplit: [{ modelVersionId: v1, percent: 100 }] } });
    expect(subset.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", field: "input.trafficSplit" });
    expect(await app.countRows(SIDE_TABLES)).toEqual(before);

    // After setDeploymentTraffic the new split is the one a repeat call must match.
    const moved = await app.graphql(SET_TRAFFIC, {
      input: { deploymentId: first.id, trafficSplit: [{ modelVersionId: v2, percent: 100 }] },
    });
    expect(moved.errors).toBeUndefined();
    const matches = await app.graphql(CREATE, { input: { ...input, trafficSplit: [{ modelVersionId: v2, percent: 100 }] } });
    expect(matches.data!.createDeployment.created).toBe(false);
    expect(matches.data!.createDeployment.deployment.currentRevision.revision).toBe(2);
  });

  it("reports a revision whose model version cannot be read as NOT_FOUND, not as an unexpected failure", async () => {
    const deployment = await createDeployment("dangling");
    const missing = "00000000-0000-4000-8000-0000000000aa";
    await app.db.pool.query(
      `INSERT INTO deployment_revision (deployment_id, revision, traffic_split, actor)
       VALUES ($1::uuid, 1, $2::jsonb, 'test')`,
      [keyOf(deployment.id), JSON.stringify([{ modelVersionId: missing, percent: 100 }])],
    );
    const result = await app.graphql(
      `{ deployment(namespace: "serving", name: "dangling") { name currentRevision { revision trafficSplit { percent } } } }`,
    );
    expect(result.errors?.[0]?.extensions).toEqual({ code: "NOT_FOUND", entity: "ModelVersion" });
    expect(result.errors?.[0]?.message).toBe(
      `Model version "${Buffer.from(`ModelVersion:${missing}`).toString("base64url")}" of deployment revision 1 not found.`,
    );
    expect(result.errors?.[0]?.path).toEqual(["deployment", "currentRevision", "trafficSplit"]);
  });
});
