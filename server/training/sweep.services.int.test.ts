import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syntheticRegression } from "../../workers/training/synthetic-data.js";
import { tryDecodeNodeId } from "../graphql/node-id.js";
import { serviceUrls } from "../testing/service-urls.js";
import { type TestApp, startTestApp } from "../testing/test-app.js";

const START_SWEEP = `mutation($input: StartSweepInput!) {
  startSweep(input: $input) { job { id } run { id } }
}`;
const QUEUE_JOB = `query($id: ID!) { queueJob(id: $id) { status progress error result } }`;
const SWEEP_RUN = `query($id: ID!) {
  node(id: $id) {
    ... on Run {
      status
      bestChild { id }
      children(first: 10) { edges { node { id status startedAt endedAt } } }
      sweep { completedTrials failedTrials bestMetric trials { index status metric run { id } } }
    }
  }
}`;

const rowKey = (id: string) => tryDecodeNodeId(id)!.key;

// The sweep's flow on BullMQ's Redis backend (the pglite/postgres projects run it on BullMQ's PostgreSQL backend).
describe("sweeps on Redis", () => {
  let app: TestApp;
  let dir: string;
  let datasetVersionId: string;
  const data = syntheticRegression({ rows: 200, features: 2, seed: 3, noise: 0.5 }).data;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "pedigree-sweeps-redis-"));
    app = await startTestApp({
      config: { inProcessWorkers: true, artifactDir: join(dir, "artifacts"), redisUrl: serviceUrls().redis },
    });
    const path = join(dir, "regression.csv");
    const lines = [[...data.featureNames, "label"].join(",")];
    for (let r = 0; r < data.target.length; r++)
      lines.push([data.features[2 * r], data.features[2 * r + 1], data.target[r]].join(","));
    await writeFile(path, `${lines.join("\n")}\n`);
    const registered = await app.graphql(
      `mutation($input: RegisterDatasetVersionInput!) { registerDatasetVersion(input: $input) { datasetVersion { id } } }`,
      {
        input: {
          namespace: "sweeps-redis",
          dataset: "regression",
          uri: pathToFileURL(path).href,
          format: "CSV",
          digest: `sha256:${createHash("sha256").update(`sweeps-redis-${Date.now()}`).digest("hex")}`,
          schema: [...data.featureNames, "label"].map((name) => ({ name, type: "double" })),
        },
      },
    );
    expect(registered.errors).toBeUndefined();
    datasetVersionId = registered.data!.registerDatasetVersion.datasetVersion.id;
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("runs the flow in chains of maxParallel, goes on past a failed trial and names the best child", async () => {
    const started = await app.graphql(START_SWEEP, {
      input: {
        namespace: "sweeps-redis",
        model: "redis-sweep",
        trainDatasetVersionId: datasetVersionId,
        featureColumns: data.featureNames,
        target: "label",
        algorithm: "LINEAR_REGRESSION",
        hyperparameters: { earlyStopping: false, importance: false, maxEpochs: 5, optimizer: { kind: "sgd" } },
        strategy: "GRID",
        // 1e12 diverges: trial 2 fails; its chain (trial 2 → trial 4) goes on.
        parameters: [{ name: "optimizer.learningRate", values: [0.01, 1e12, 0.1, 0.03] }],
        maxParallel: 2,
        metric: "rmse",
      },
    });
    expect(started.errors).toBeUndefined();
    const { job: jobId, run: runId } = { job: started.data!.startSweep.job.id, run: started.data!.startSweep.run.id };

    const deadline = Date.now() + 120_000;
    let job: Record<string, any>;
    let maxActive = 0;
    for (;;) {
      job = (await app.graphql(QUEUE_JOB, { id: jobId })).data!.queueJob;
      const { rows } = await app.db.pool.query<{ active: number }>(
        `SELECT count(*)::int AS active FROM job_record WHERE status = 'ACTIVE' AND name = 'train-model' AND payload->>'parentRunId' = $1`,
        [rowKey(runId)],
      );
      maxActive = Math.max(maxActive, rows[0]!.active);
      if (job.status === "COMPLETED" || job.status === "FAILED") break;
      if (Date.now() > deadline) throw new Error(`sweep did not finish: ${JSON.stringify(job)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(job.error).toBeNull();
    expect(job).toMatchObject({ status: "COMPLETED", progress: 100 });
    expect(maxActive).toBeLessThanOrEqual(2);

    const run = (await app.graphql(SWEEP_RUN, { id: runId })).data!.node;
    expect(run.status).toBe("COMPLETED");
    expect(run.sweep).toMatchObject({ completedTrials: 3, failedTrials: 1 });
    expect(run.sweep.trials.map((trial: { status: string }) => trial.status)).toEqual([
      "COMPLETED",
      "FAILED",
      "COMPLETED",
      "COMPLETED",
    ]);
    const scored = run.sweep.trials.filter((trial: { metric: number | null }) => trial.metric !== null);
    const best = scored.reduce((a: { metric: number }, b: { metric: number }) => (b.metric < a.metric ? b : a));
    expect(run.sweep.bestMetric).toBe(best.metric);
    expect(run.bestChild.id).toBe(best.run.id);
    const { rows } = await app.db.pool.query<{ count: number }>(
      "SELECT count(*)::int AS count FROM model_version WHERE source_run_id IN (SELECT id FROM run WHERE parent_run_id = $1::uuid)",
      [rowKey(runId)],
    );
    expect(rows[0]!.count).toBe(3);
  }, 150_000);
});

describe("sweeps while the queue store is down", () => {
  let app: TestApp;

  beforeAll(async () => {
    // Nothing listens on port 1.
    app = await startTestApp({ config: { redisUrl: "redis://127.0.0.1:1" } });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
  });

  it("says that work cannot be queued, and writes nothing", async () => {
    const dir = await mkdtemp(join(tmpdir(), "pedigree-sweeps-down-"));
    const path = join(dir, "data.csv");
    await writeFile(path, "x0,label\n1,0\n2,1\n");
    const registered = await app.graphql(
      `mutation($input: RegisterDatasetVersionInput!) { registerDatasetVersion(input: $input) { datasetVersion { id } } }`,
      {
        input: {
          namespace: "down",
          dataset: "d",
          uri: pathToFileURL(path).href,
          format: "CSV",
          digest: `sha256:${"0".repeat(64)}`,
        },
      },
    );
    expect(registered.errors).toBeUndefined();
    const tables = ["job_record", "run", "sweep", "audit_event"];
    const before = await app.countRows(tables);
    const result = await app.graphql(START_SWEEP, {
      input: {
        namespace: "down",
        model: "m",
        trainDatasetVersionId: registered.data!.registerDatasetVersion.datasetVersion.id,
        featureColumns: ["x0"],
        target: "label",
        algorithm: "LOGISTIC_REGRESSION",
        strategy: "GRID",
        parameters: [{ name: "l2", values: [0, 0.1] }],
        metric: "accuracy",
      },
    });
    expect(result.errors?.[0]?.extensions?.code).toBe("SERVICE_UNAVAILABLE");
    expect(result.errors?.[0]?.message).toMatch(/cannot be queued/);
    expect(await app.countRows(tables)).toEqual(before);
    await rm(dir, { recursive: true, force: true });
  }, 60_000);
});
