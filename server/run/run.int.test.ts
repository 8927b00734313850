import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestApp, startTestApp } from "../testing/test-app.js";

const digest = (n: number) => `sha256:${n.toString(16).padStart(64, "0")}`;
const SIDE_TABLES = ["job", "run", "metric_point", "lineage_edge", "audit_event", "graph_outbox"];

const REGISTER_VERSION = `mutation($input: RegisterDatasetVersionInput!) { registerDatasetVersion(input: $input) { datasetVersion { id } } }`;
const START_RUN = `mutation($input: StartRunInput!) {
  startRun(input: $input) {
    created
    run { id status externalId hyperparameters startedAt job { name namespace { name } }
          inputs { role datasetVersion { id version } } }
  }
}`;
const LOG_METRICS = `mutation($input: LogMetricsInput!) { logMetrics(input: $input) { accepted run { latestMetrics } } }`;
const UPDATE_RUN = `mutation($input: UpdateRunInput!) { updateRun(input: $input) { status endedAt errorMessage } }`;

describe("jobs, runs and metrics", () => {
  let app: TestApp;
  let trainVersion: string;
  let testVersion: string;

  beforeAll(async () => {
    app = await startTestApp();
    const register = async (n: number) =>
      (
        await app.graphql(REGISTER_VERSION, {
          input: { namespace: "ml", dataset: "churn/features", uri: `s3://lake/f/${n}`, format: "PARQUET", digest: digest(n) },
        })
      ).data!.registerDatasetVersion.datasetVersion.id as string;
    trainVersion = await register(1);
    testVersion = await register(2);
  });
  afterAll(async () => {
    await app?.close();
  });

  async function startRun(overrides: Record<string, unknown> = {}) {
    return app.graphql(START_RUN, {
      input: {
        namespace: "ml",
        job: "train-churn",
        hyperparameters: { lr: 0.01, depth: 6, optimizer: "adam" },
        inputs: [
          { datasetVersionId: trainVersion, role: "TRAIN" },
          { datasetVersionId: testVersion, role: "TEST" },
        ],
        ...overrides,
      },
    });
  }

  it("starts a run pinned to exact input versions with roles, and records CONSUMED edges", async () => {
    const result = await startRun();
    expect(result.errors).toBeUndefined();
    const run = result.data!.startRun.run;
    expect(run).toMatchObject({
      status: "RUNNING",
      hyperparameters: { lr: 0.01, depth: 6, optimizer: "adam" },
      job: { name: "train-churn", namespace: { name: "ml" } },
    });
    expect(run.startedAt).toBeTruthy();
    expect(run.inputs).toEqual([
      { role: "TRAIN", datasetVersion: { id: trainVersion, version: 1 } },
      { role: "TEST", datasetVersion: { id: testVersion, version: 2 } },
    ]);
    const consumers = await app.graphql(`query($id: ID!) { node(id: $id) { ... on DatasetVersion { consumedBy { id } } } }`, {
      id: trainVersion,
    });
    expect(consumers.data!.node.consumedBy.map((r: { id: string }) => r.id)).toContain(run.id);
  });

  it("links a run to its commit, features and parent sweep", async () => {
    const commit = await app.graphql(
      `mutation { registerCodeCommit(input: { namespace: "ml", repository: "github.com/acme/churn", sha: "0123456789abcdef0123456789abcdef01234567", branch: "main" }) { codeCommit { id } } }`,
    );
    const commitId = commit.data!.registerCodeCommit.codeCommit.id;
    const set = await app.graphql(
      `mutation { registerFeatureSet(input: { namespace: "ml", name: "user", entityKeys: ["user_id"] }) { featureSet { id } } }`,
    );
    const feature = await app.graphql(
      `mutation($input: RegisterFeatureInput!) { registerFeature(input: $input) { feature { id } } }`,
      {
        input: {
          featureSetId: set.data!.registerFeatureSet.featureSet.id,
          name: "sessions_7d",
          dtype: "int64",
          sourceDatasetVersionIds: [trainVersion],
        },
      },
    );
    const featureId = feature.data!.registerFeature.feature.id;
    const sweep = (await startRun({ job: "sweep", inputs: [] })).data!.startRun.run.id;
    const child = await startRun({ commitId, featureIds: [featureId], parentRunId: sweep });
    expect(child.errors).toBeUndefined();
    const read = await app.graphql(
      `query($id: ID!) { node(id: $id) { ... on Run { commit { sha branch } features { name } parent { id children { totalCount edges { node { id } } } } } } }`,
      {
        id: child.data!.startRun.run.id,
      },
    );
    expect(read.data!.node).toEqual({
      commit: { sha: "0123456789abcdef0123456789abcdef01234567", branch: "main" },
      features: [{ name: "sessions_7d" }],
      parent: { id: sweep, children: { totalCount: 1, edges: [{ node: { id: child.data!.startRun.run.id } }] } },
    });
    const { rows } = await app.db.pool.query(
      `SELECT kind FROM lineage_edge WHERE downstream_id = (SELECT id FROM run WHERE id::text = $1) ORDER BY kind::text`,
      [Buffer.from(child.data!.startRun.run.id, "base64url").toString().split(":")[1]],
    );
    expect(rows.map((row) => row.kind)).toEqual(["BUILT_FROM", "CONSUMED", "CONSUMED", "PARENT_OF", "USED"]);
  });

  it("is idempotent on externalId and refuses the same externalId for another job", async () => {
    const first = await startRun({ externalId: "airflow-run-1" });
    const before = await app.countRows(SIDE_TABLES);
    const again = await startRun({ externalId: "airflow-run-1" });
    expect(again.data!.startRun).toMatchObject({ created: false, run: { id: first.data!.startRun.run.id } });
    expect(await app.countRows(SIDE_TABLES)).toEqual(before);
    const other = await startRun({ externalId: "airflow-run-1", job: "another-job" });
    expect(other.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", field: "input.externalId" });
  });

  it("enforces the run lifecycle", async () => {
    const id = (await startRun()).data!.startRun.run.id;
    const done = await app.graphql(UPDATE_RUN, { input: { id, status: "COMPLETED" } });
    expect(done.data!.updateRun.status).toBe("COMPLETED");
    expect(done.data!.updateRun.endedAt).toBeTruthy();
    const before = await app.countRows(SIDE_TABLES);
    const back = await app.graphql(UPDATE_RUN, { input: { id, status: "RUNNING" } });
    expect(back.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", field: "input.status" });
    expect(back.errors?.[0]?.message).toMatch(/COMPLETED is final/);
    expect(await app.countRows(SIDE_TABLES)).toEqual(before);
  });

  it("keeps a finished run immutable and returns it unchanged when nothing changes", async () => {
    const id = (await startRun()).data!.startRun.run.id;
    const done = await app.graphql(UPDATE_RUN, { input: { id, status: "COMPLETED" } });
    const failedId = (await startRun()).data!.startRun.run.id;
    const failed = await app.graphql(UPDATE_RUN, { input: { id: failedId, status: "FAILED", errorMessage: "OOM" } });
    expect(failed.data!.updateRun).toMatchObject({ status: "FAILED", errorMessage: "OOM" });
    const before = await app.countRows(SIDE_TABLES);
    const attempts: Array<[Record<string, unknown>, string, RegExp]> = [
      [
        { id, errorMessage: "late note" },
        "input.errorMessage",
        /is COMPLETED and cannot change its errorMessage; COMPLETED is final/,
      ],
      [{ id, endedAt: null }, "input.endedAt", /is COMPLETED and cannot change its endedAt/],
      [{ id, endedAt: "2030-01-01T00:00:00.000Z" }, "input.endedAt", /cannot change its endedAt/],
      [{ id, status: "COMPLETED", errorMessage: "x" }, "input.errorMessage", /cannot change its errorMessage/],
      [
        { id: failedId, errorMessage: "retry" },
        "input.errorMessage",
        /is FAILED and cannot change its errorMessage; FAILED is final/,
      ],
      [{ id: failedId, status: "ABORTED" }, "input.status", /is FAILED and cannot become ABORTED; FAILED is final/],
    ];
    for (const [input, field, message] of attempts) {
      const result = await app.graphql(UPDATE_RUN, { input });
      expect(result.data).toBeNull();
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", field });
      expect(result.errors?.[0]?.message).toMatch(message);
    }
    const same = await app.graphql(UPDATE_RUN, {
      input: { id, status: "COMPLETED", errorMessage: null, endedAt: done.data!.updateRun.endedAt },
    });
    expect(same.data!.updateRun).toEqual(done.data!.updateRun);
    expect(await app.countRows(SIDE_TABLES)).toEqual(before);
  });

  it("refuses an end before the run started and writes nothing", async () => {
    const id = (await startRun({ startedAt: "2026-03-02T10:00:00.000Z" })).data!.startRun.run.id;
    const before = await app.countRows(SIDE_TABLES);
    const early = await app.graphql(UPDATE_RUN, { input: { id, status: "COMPLETED", endedAt: "2026-03-02T09:59:59.999Z" } });
    expect(early.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.endedAt" });
    expect(early.errors?.[0]?.message).toBe(
      'Field "input.endedAt" must not be before the run started (2026-03-02T10:00:00.000Z); got 2026-03-02T09:59:59.999Z.',
    );
    expect(await app.countRows(SIDE_TABLES)).toEqual(before);
    const read = await app.graphql(`query($id: ID!) { node(id: $id) { ... on Run { status endedAt } } }`, { id });
    expect(read.data!.node).toEqual({ status: "RUNNING", endedAt: null });
    const atStart = await app.graphql(UPDATE_RUN, { input: { id, status: "COMPLETED", endedAt: "2026-03-02T10:00:00.000Z" } });
    expect(atStart.data!.updateRun).toEqual({ status: "COMPLETED", endedAt: "2026-03-02T10:00:00.000Z", errorMessage: null });
  });

  it("takes metrics only while a run is PENDING or RUNNING", async () => {
    const id = (await startRun({ status: "PENDING" })).data!.startRun.run.id;
    const point = (step: number) => ({ input: { runId: id, points: [{ key: "loss", value: 1 / (step + 1), step }] } });
    const pending = await app.graphql(LOG_METRICS, point(0));
    expect(pending.data!.logMetrics).toEqual({ accepted: 1, run: { latestMetrics: { loss: 1 } } });
    await app.graphql(UPDATE_RUN, { input: { id, status: "RUNNING" } });
    const running = await app.graphql(LOG_METRICS, point(1));
    expect(running.data!.logMetrics).toEqual({ accepted: 1, run: { latestMetrics: { loss: 0.5 } } });
    await app.graphql(UPDATE_RUN, { input: { id, status: "COMPLETED" } });
    const before = await app.countRows(SIDE_TABLES);
    const late = await app.graphql(LOG_METRICS, point(2));
    expect(late.data).toBeNull();
    expect(late.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", field: "input.runId" });
    expect(late.errors?.[0]?.message).toBe(`Run "${id}" is COMPLETED; metrics must be logged before a run finishes.`);
    expect(await app.countRows(SIDE_TABLES)).toEqual(before);
  });

  it("logs 2,000 metric points in one call and keeps the latest value per key", async () => {
    const id = (await startRun()).data!.startRun.run.id;
    const points = Array.from({ length: 1_000 }, (_, step) => [
      { key: "loss", value: 1 / (step + 1), step },
      { key: "accuracy", value: step / 1_000, step },
    ]).flat();
    const result = await app.graphql(LOG_METRICS, { input: { runId: id, points } });
    expect(result.errors).toBeUndefined();
    expect(result.data!.logMetrics.accepted).toBe(2_000);
    expect(result.data!.logMetrics.run.latestMetrics).toEqual({ loss: 1 / 1_000, accuracy: 0.999 });
    // An older step logged later does not replace the latest value.
    await app.graphql(LOG_METRICS, { input: { runId: id, points: [{ key: "loss", value: 42, step: 3 }] } });
    const series = await app.graphql(
      `query($id: ID!) { node(id: $id) { ... on Run { latestMetrics metrics(keys: ["loss"], lastPoints: 5) { key points { step value } } } } }`,
      { id },
    );
    expect(series.data!.node.latestMetrics.loss).toBe(1 / 1_000);
    expect(series.data!.node.metrics).toHaveLength(1);
    expect(series.data!.node.metrics[0].points.map((p: { step: number }) => p.step)).toEqual([995, 996, 997, 998, 999]);
  });

  it("filters runs by hyperparameter and metric values", async () => {
    const ids: string[] = [];
    for (const lr of [0.1, 0.01, 0.001]) {
      const id = (await startRun({ job: "sweep-filter", hyperparameters: { lr, optimizer: lr > 0.05 ? "sgd" : "adam" } })).data!
        .startRun.run.id;
      await app.graphql(LOG_METRICS, { input: { runId: id, points: [{ key: "auc", value: 0.8 + lr, step: 1 }] } });
      ids.push(id);
    }
    const query = `query($filter: RunFilterInput) { runs(filter: $filter, orderBy: { field: CREATED_AT, direction: ASC }) { totalCount edges { node { id } } } }`;
    const small = await app.graphql(query, { filter: { namespace: "ml", hyperparameters: [{ key: "lr", lt: 0.05 }] } });
    expect(small.errors).toBeUndefined();
    const jobRuns = small.data!.runs.edges.map((e: any) => e.node.id).filter((id: string) => ids.includes(id));
    expect(jobRuns).toEqual([ids[1], ids[2]]);
    const adam = await app.graphql(query, { filter: { hyperparameters: [{ key: "optimizer", eq: "sgd" }] } });
    expect(adam.data!.runs.edges.map((e: any) => e.node.id)).toEqual([ids[0]]);
    const good = await app.graphql(query, { filter: { metrics: [{ key: "auc", gte: 0.85 }] } });
    expect(good.data!.runs.edges.map((e: any) => e.node.id)).toEqual([ids[0]]);
  });

  it("rejects unknown inputs, wrong-kind ids and bad metric batches without writing", async () => {
    const before = await app.countRows(SIDE_TABLES);
    const missing = Buffer.from("DatasetVersion:00000000-0000-4000-8000-00000000beef").toString("base64url");
    const unknown = await startRun({
      job: "never-created",
      inputs: [{ datasetVersionId: trainVersion }, { datasetVersionId: missing }],
    });
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: "NOT_FOUND", field: "input.inputs[1].datasetVersionId" });
    const wrongKind = await startRun({ job: "never-created", inputs: [{ datasetVersionId: "not-an-id" }] });
    expect(wrongKind.errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "input.inputs[0].datasetVersionId",
    });
    const badStatus = await startRun({ job: "never-created", status: "COMPLETED" });
    expect(badStatus.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.status" });
    const bigHyper = await startRun({ job: "never-created", hyperparameters: { blob: "x".repeat(70_000) } });
    expect(bigHyper.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.hyperparameters" });
    expect(await app.countRows(SIDE_TABLES)).toEqual(before);

    const id = (await startRun()).data!.startRun.run.id;
    const afterStart = await app.countRows(SIDE_TABLES);
    const badStep = await app.graphql(LOG_METRICS, {
      input: {
        runId: id,
        points: [
          { key: "a", value: 1 },
          { key: "a", value: 2 },
          { key: "a", value: 3, step: -1 },
        ],
      },
    });
    expect(badStep.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.points[2].step" });
    const tooMany = await app.graphql(LOG_METRICS, {
      input: { runId: id, points: Array.from({ length: 10_001 }, (_, i) => ({ key: "k", value: i })) },
    });
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.points" });
    const noRun = await app.graphql(LOG_METRICS, {
      input: {
        runId: Buffer.from("Run:00000000-0000-4000-8000-00000000beef").toString("base64url"),
        points: [{ key: "a", value: 1 }],
      },
    });
    expect(noRun.errors?.[0]?.extensions).toMatchObject({ code: "NOT_FOUND", field: "input.runId" });
    expect(await app.countRows(SIDE_TABLES)).toEqual(afterStart);
  });
});
