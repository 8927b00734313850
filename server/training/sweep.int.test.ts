import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createJobHandlers } from "../../workers/job-handlers.js";
import { SWEEP_JOB } from "../../workers/jobs/sweep.job.js";
import { syntheticClassification, syntheticRegression } from "../../workers/training/synthetic-data.js";
import type { TrainingData } from "../../workers/training/types.js";
import type { JobContext } from "../../workers/worker-host.js";
import { loadConfig } from "../config.js";
import { tryDecodeNodeId } from "../graphql/node-id.js";
import { type TestApp, startTestApp } from "../testing/test-app.js";

const WRITE_TABLES = ["job_record", "job", "run", "model_version", "metric_point", "sweep", "audit_event", "lineage_edge"];

const REGISTER_VERSION = `mutation($input: RegisterDatasetVersionInput!) {
  registerDatasetVersion(input: $input) { datasetVersion { id } }
}`;
const START_SWEEP = `mutation($input: StartSweepInput!) {
  startSweep(input: $input) {
    job { id queue name status }
    run { id status }
    sweep { strategy metric goal maxParallel trialCount trials { index params } }
  }
}`;
const QUEUE_JOB = `query($id: ID!) { queueJob(id: $id) { id status progress message result error } }`;
const SWEEP_RUN = `query($id: ID!) {
  node(id: $id) {
    ... on Run {
      id status errorMessage hyperparameters latestMetrics
      job { name jobType }
      bestChild { id }
      children(first: 50) { totalCount edges { node { id status errorMessage hyperparameters startedAt endedAt } } }
      sweep {
        strategy metric goal maxParallel trialCount completedTrials failedTrials bestMetric bestParams finishedAt
        bestChild { id }
        job { id status progress }
        trials { index params status metric error run { id status } job { id status } }
      }
    }
  }
}`;

interface JobView {
  id: string;
  status: string;
  progress: number;
  message: string | null;
  result: Record<string, any> | null;
  error: string | null;
}

function toCsv(data: TrainingData): string {
  const featureCount = data.featureNames.length;
  const lines = [[...data.featureNames, "label"].join(",")];
  for (let r = 0; r < data.target.length; r++) {
    const row = Array.from({ length: featureCount }, (_, f) => data.features[r * featureCount + f]);
    lines.push([...row, data.target[r]].join(","));
  }
  return `${lines.join("\n")}\n`;
}

const rowKey = (id: string) => tryDecodeNodeId(id)!.key;

describe("sweeps: startSweep → a flow of train-model trials → the best child", () => {
  let app: TestApp;
  let dir: string;
  let artifactDir: string;
  let classificationVersion: string;
  let regressionVersion: string;
  const classification = syntheticClassification({ rows: 300, features: 3, seed: 5, labelNoise: 0.6 });
  const regression = syntheticRegression({ rows: 200, features: 2, seed: 3, noise: 0.5 }).data;

  async function register(name: string, data: TrainingData): Promise<string> {
    const path = join(dir, `${name}.csv`);
    await writeFile(path, toCsv(data));
    const result = await app.graphql(REGISTER_VERSION, {
      input: {
        namespace: "sweeps",
        dataset: name,
        uri: pathToFileURL(path).href,
        format: "CSV",
        digest: `sha256:${createHash("sha256").update(name).digest("hex")}`,
        schema: [...data.featureNames, "label"].map((field) => ({ name: field, type: "double" })),
      },
    });
    expect(result.errors).toBeUndefined();
    return result.data!.registerDatasetVersion.datasetVersion.id as string;
  }

  const classificationInput = (sweep: Record<string, unknown>) => ({
    namespace: "sweeps",
    model: "sweep-classifier",
    trainDatasetVersionId: classificationVersion,
    featureColumns: classification.featureNames,
    target: "label",
    algorithm: "LOGISTIC_REGRESSION",
    seed: 3,
    hyperparameters: { earlyStopping: false, importance: false, maxEpochs: 5 },
    ...sweep,
  });

  const regressionInput = (sweep: Record<string, unknown>) => ({
    namespace: "sweeps",
    model: "sweep-regressor",
    trainDatasetVersionId: regressionVersion,
    featureColumns: regression.featureNames,
    target: "label",
    algorithm: "LINEAR_REGRESSION",
    seed: 1,
    hyperparameters: { earlyStopping: false, importance: false, maxEpochs: 5, optimizer: { kind: "sgd" } },
    metric: "rmse",
    strategy: "GRID",
    ...sweep,
  });

  async function startSweep(input: Record<string, unknown>) {
    const started = await app.graphql(START_SWEEP, { input });
    expect(started.errors).toBeUndefined();
    return started.data!.startSweep as {
      job: { id: string; status: string };
      run: { id: string; status: string };
      sweep: { trialCount: number; trials: Array<{ index: number; params: Record<string, unknown> }> };
    };
  }

  /** Waits for a job to end; records every progress value seen and the most trials ACTIVE at once. */
  async function waitForSweep(jobId: string, runId: string): Promise<{ job: JobView; progress: number[]; maxActive: number }> {
    const deadline = Date.now() + 150_000;
    const progress: number[] = [];
    let maxActive = 0;
    for (;;) {
      const result = await app.graphql(QUEUE_JOB, { id: jobId });
      expect(result.errors).toBeUndefined();
      const job = result.data!.queueJob as JobView;
      progress.push(job.progress);
      const { rows } = await app.db.pool.query<{ active: number }>(
        `SELECT count(*)::int AS active FROM job_record j
          WHERE j.status = 'ACTIVE' AND j.name = 'train-model' AND j.payload->>'parentRunId' = $1`,
        [rowKey(runId)],
      );
      maxActive = Math.max(maxActive, rows[0]!.active);
      if (job.status === "COMPLETED" || job.status === "FAILED") return { job, progress, maxActive };
      if (Date.now() > deadline) throw new Error(`sweep job ${jobId} did not finish: ${JSON.stringify(job)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async function sweepRun(id: string): Promise<Record<string, any>> {
    const result = await app.graphql(SWEEP_RUN, { id });
    expect(result.errors).toBeUndefined();
    return result.data!.node as Record<string, any>;
  }

  /** The model versions the children registered, by child run key, with their metrics. */
  async function childModelVersions(parentRunId: string) {
    const { rows } = await app.db.pool.query<{ run_id: string; id: string; metrics: Record<string, number> }>(
      `SELECT r.id::text AS run_id, mv.id::text AS id, mv.metrics
         FROM run r JOIN model_version mv ON mv.source_run_id = r.id
        WHERE r.parent_run_id = $1::uuid`,
      [rowKey(parentRunId)],
    );
    return rows;
  }

  /** Largest number of child runs whose [startedAt, endedAt] intervals overlap at one instant. */
  function maxOverlap(children: Array<{ startedAt: string; endedAt: string }>): number {
    const events = children.flatMap((child) => [
      { at: Date.parse(child.startedAt), delta: 1 },
      { at: Date.parse(child.endedAt), delta: -1 },
    ]);
    // An end and a start at the same millisecond do not overlap.
    events.sort((a, b) => a.at - b.at || a.delta - b.delta);
    let open = 0;
    let most = 0;
    for (const event of events) {
      open += event.delta;
      most = Math.max(most, open);
    }
    return most;
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "pedigree-sweeps-"));
    artifactDir = join(dir, "artifacts");
    app = await startTestApp({ config: { inProcessWorkers: true, artifactDir } });
    classificationVersion = await register("sweep-classification", classification);
    regressionVersion = await register("sweep-regression", regression);
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  let grid: { jobId: string; runId: string; result: Record<string, any> };

  it("runs a 2×2 grid as 4 child runs with 4 model versions and names the truly best child", async () => {
    const started = await startSweep(
      classificationInput({
        strategy: "GRID",
        parameters: [
          { name: "optimizer.learningRate", values: [0.003, 0.3] },
          { name: "l2", values: [0, 1] },
        ],
        maxParallel: 2,
        metric: "logLoss",
      }),
    );
    expect(started.job).toMatchObject({ status: "WAITING" });
    expect(started.run.status).toBe("RUNNING");
    expect(started.sweep.trials.map((trial) => trial.params)).toEqual([
      { "optimizer.learningRate": 0.003, l2: 0 },
      { "optimizer.learningRate": 0.003, l2: 1 },
      { "optimizer.learningRate": 0.3, l2: 0 },
      { "optimizer.learningRate": 0.3, l2: 1 },
    ]);

    const { job, progress, maxActive } = await waitForSweep(started.job.id, started.run.id);
    expect(job.error).toBeNull();
    expect(job).toMatchObject({ status: "COMPLETED", progress: 100 });
    // Progress is trials ended / total: it only grows, through quarters, and 99 while ranking.
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.every((value) => [0, 25, 50, 75, 99, 100].includes(value))).toBe(true);
    expect(progress.some((value) => value > 0 && value < 100)).toBe(true);
    expect(maxActive).toBeLessThanOrEqual(2);

    const run = await sweepRun(started.run.id);
    expect(run).toMatchObject({
      status: "COMPLETED",
      errorMessage: null,
      job: { name: "sweep-sweep-classifier", jobType: "sweep" },
    });
    expect(run.hyperparameters).toMatchObject({
      strategy: "GRID",
      metric: "logLoss",
      goal: "MINIMIZE",
      maxParallel: 2,
      trials: 4,
    });
    expect(run.children.totalCount).toBe(4);
    const children = run.children.edges.map((edge: { node: Record<string, any> }) => edge.node);
    expect(children.every((child: { status: string }) => child.status === "COMPLETED")).toBe(true);
    expect(maxOverlap(children)).toBeLessThanOrEqual(2);
    // Each child trained with its trial's values over the base settings.
    const rates = children.map((child: Record<string, any>) => [
      child.hyperparameters.optimizer.learningRate,
      child.hyperparameters.l2,
    ]);
    expect(rates.sort()).toEqual([
      [0.003, 0],
      [0.003, 1],
      [0.3, 0],
      [0.3, 1],
    ]);
    expect(children.every((child: Record<string, any>) => child.hyperparameters.maxEpochs === 5)).toBe(true);

    const versions = await childModelVersions(started.run.id);
    expect(versions).toHaveLength(4);
    expect(new Set(versions.map((version) => version.id)).size).toBe(4);
    const truth = [...versions].sort((a, b) => a.metrics.logLoss! - b.metrics.logLoss!)[0]!;
    expect(versions.filter((version) => version.metrics.logLoss === truth.metrics.logLoss)).toHaveLength(1);
    expect(rowKey(run.bestChild.id)).toBe(truth.run_id);
    expect(run.sweep).toMatchObject({
      strategy: "GRID",
      metric: "logLoss",
      goal: "MINIMIZE",
      trialCount: 4,
      completedTrials: 4,
      failedTrials: 0,
      bestMetric: truth.metrics.logLoss,
      bestChild: { id: run.bestChild.id },
      job: { id: started.job.id, status: "COMPLETED", progress: 100 },
    });
    const bestTrial = run.sweep.trials.find((trial: Record<string, any>) => trial.run.id === run.bestChild.id);
    expect(run.sweep.bestParams).toEqual(bestTrial.params);
    expect(
      run.sweep.trials.every((trial: Record<string, any>) => trial.status === "COMPLETED" && trial.job.status === "COMPLETED"),
    ).toBe(true);
    // The parent run carries the best value as a metric too.
    expect(run.latestMetrics).toEqual({ best_logLoss: truth.metrics.logLoss });
    expect(job.result).toMatchObject({
      runId: started.run.id,
      bestChildRunId: run.bestChild.id,
      bestMetric: truth.metrics.logLoss,
      completedTrials: 4,
      failedTrials: 0,
    });

    // Children are linked to the parent in the lineage (PARENT_OF edges).
    const { rows } = await app.db.pool.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM lineage_edge WHERE kind = 'PARENT_OF' AND upstream_id = $1::uuid`,
      [rowKey(started.run.id)],
    );
    expect(rows[0]!.count).toBe(4);
    grid = { jobId: started.job.id, runId: started.run.id, result: job.result! };
  }, 180_000);

  it("runs the sweep job again without starting a trial twice", async () => {
    const before = await app.countRows(["job_record", "run", "model_version", "metric_point"]);
    const handler = createJobHandlers(app.services, { ...loadConfig({}), artifactDir }).find((h) => h.name === SWEEP_JOB)!;
    const context: JobContext = {
      jobId: rowKey(grid.jobId),
      attempt: 2,
      dueAt: new Date(),
      reportProgress: async () => undefined,
    };
    const again = await handler.run({ sweepRunId: rowKey(grid.runId), requestedBy: null }, context);
    expect(again).toEqual(grid.result);
    expect(await app.countRows(["job_record", "run", "model_version", "metric_point"])).toEqual(before);
  });

  it("draws the same random trials for the same seed and keeps at most maxParallel trials training", async () => {
    const random = (searchSeed: number) =>
      classificationInput({
        strategy: "RANDOM",
        trials: 3,
        searchSeed,
        parameters: [
          { name: "optimizer.learningRate", min: 0.001, max: 1, scale: "LOG" },
          { name: "batchSize", min: 8, max: 64, integer: true },
          { name: "l2", values: [0, 0.01, 0.1] },
        ],
        maxParallel: 1,
        metric: "accuracy",
      });
    const first = await startSweep(random(17));
    const { job, maxActive } = await waitForSweep(first.job.id, first.run.id);
    expect(job.error).toBeNull();
    expect(job.status).toBe("COMPLETED");
    expect(maxActive).toBe(1);
    const run = await sweepRun(first.run.id);
    const children = run.children.edges.map((edge: { node: Record<string, any> }) => edge.node);
    expect(children).toHaveLength(3);
    // One at a time: the worker host could run 2 jobs at once, the sweep's single chain allows 1.
    expect(maxOverlap(children)).toBe(1);
    expect(run.sweep.goal).toBe("MAXIMIZE");
    const versions = await childModelVersions(first.run.id);
    const bestValue = Math.max(...versions.map((version) => version.metrics.accuracy!));
    expect(run.sweep.bestMetric).toBe(bestValue);
    const bestTrial = run.sweep.trials.find((trial: Record<string, any>) => trial.run.id === run.bestChild.id);
    expect(bestTrial.metric).toBe(bestValue);
    // Ties go to the earliest trial.
    expect(run.sweep.trials.find((trial: Record<string, any>) => trial.metric === bestValue).index).toBe(bestTrial.index);

    const same = await startSweep(random(17));
    const other = await startSweep(random(18));
    expect(same.sweep.trials).toEqual(first.sweep.trials);
    expect(other.sweep.trials).not.toEqual(first.sweep.trials);
    for (const trial of first.sweep.trials) {
      const rate = trial.params["optimizer.learningRate"] as number;
      expect(rate).toBeGreaterThanOrEqual(0.001);
      expect(rate).toBeLessThanOrEqual(1);
      expect(Number.isInteger(trial.params.batchSize)).toBe(true);
    }
    await waitForSweep(same.job.id, same.run.id);
    await waitForSweep(other.job.id, other.run.id);
  }, 240_000);

  it("records a failing trial without failing the sweep, and fails a sweep whose trials all failed", async () => {
    // SGD at a learning rate of 1e12 diverges within 3 epochs (a permanent training error).
    const partial = await startSweep(regressionInput({ parameters: [{ name: "optimizer.learningRate", values: [0.01, 1e12] }] }));
    const partialEnd = await waitForSweep(partial.job.id, partial.run.id);
    expect(partialEnd.job.error).toBeNull();
    expect(partialEnd.job.status).toBe("COMPLETED");
    const partialRun = await sweepRun(partial.run.id);
    expect(partialRun.status).toBe("COMPLETED");
    expect(partialRun.sweep).toMatchObject({
      completedTrials: 1,
      failedTrials: 1,
      goal: "MINIMIZE",
      bestParams: { "optimizer.learningRate": 0.01 },
    });
    const [good, bad] = partialRun.sweep.trials;
    expect(good).toMatchObject({ index: 1, status: "COMPLETED", error: null, run: { status: "COMPLETED" } });
    expect(bad).toMatchObject({ index: 2, status: "FAILED", metric: null, run: { status: "FAILED" }, job: { status: "FAILED" } });
    expect(bad.error).toMatch(/diverged/);
    expect(partialRun.bestChild.id).toBe(good.run.id);
    expect(await childModelVersions(partial.run.id)).toHaveLength(1);

    const doomed = await startSweep(regressionInput({ parameters: [{ name: "optimizer.learningRate", values: [1e12, 1e13] }] }));
    const doomedEnd = await waitForSweep(doomed.job.id, doomed.run.id);
    expect(doomedEnd.job.status).toBe("FAILED");
    expect(doomedEnd.job.error).toMatch(/All 2 trials of the sweep failed.*diverged/);
    const doomedRun = await sweepRun(doomed.run.id);
    expect(doomedRun).toMatchObject({ status: "FAILED", bestChild: null });
    expect(doomedRun.errorMessage).toBe(doomedEnd.job.error);
    expect(doomedRun.sweep).toMatchObject({ completedTrials: 0, failedTrials: 2, bestMetric: null, bestParams: null });
  }, 180_000);

  it("refuses bad search spaces with a typed error naming the field, and writes nothing", async () => {
    const huge = Array.from({ length: 11 }, (_, k) => k / 10);
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ strategy: "GRID", parameters: [], metric: "accuracy" }, "input.parameters", /empty/],
      [
        {
          strategy: "GRID",
          parameters: [
            { name: "l2", values: huge },
            { name: "batchSize", values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] },
          ],
          metric: "accuracy",
        },
        "input.parameters",
        /more than 100 trials/,
      ],
      [
        { strategy: "RANDOM", trials: 101, parameters: [{ name: "l2", min: 0, max: 1 }], metric: "accuracy" },
        "input.trials",
        /at most 100/,
      ],
      [
        { strategy: "GRID", parameters: [{ name: "learning_rate", values: [0.1] }], metric: "accuracy" },
        "input.parameters[0].name",
        /not a hyperparameter/,
      ],
      [
        { strategy: "RANDOM", trials: 2, parameters: [{ name: "l2", min: 1, max: 0 }], metric: "accuracy" },
        "input.parameters[0].max",
        /below min/,
      ],
      [
        {
          strategy: "RANDOM",
          trials: 2,
          parameters: [{ name: "optimizer.learningRate", min: 0, max: 1, scale: "LOG" }],
          metric: "accuracy",
        },
        "input.parameters[0].min",
        /LOG/,
      ],
      [{ strategy: "GRID", parameters: [{ name: "l2", min: 0, max: 1 }], metric: "accuracy" }, "input.parameters[0]", /grid/],
      [{ strategy: "RANDOM", parameters: [{ name: "l2", values: [0] }], metric: "accuracy" }, "input.trials", /required/],
      [
        { strategy: "GRID", parameters: [{ name: "l2", values: [0] }], metric: "rmse" },
        "input.metric",
        /not a validation metric/,
      ],
      [
        { strategy: "GRID", parameters: [{ name: "optimizer.learningRate", values: [0.1, -1] }], metric: "accuracy" },
        "input.parameters[0]",
        /Trial 2/,
      ],
      [
        { strategy: "GRID", parameters: [{ name: "l2", values: [0] }], metric: "accuracy", maxParallel: 0 },
        "input.maxParallel",
        /maxParallel/,
      ],
    ];
    const before = await app.countRows(WRITE_TABLES);
    for (const [sweep, field, message] of cases) {
      const result = await app.graphql(START_SWEEP, { input: classificationInput(sweep) });
      expect(result.errors, JSON.stringify(sweep)).toHaveLength(1);
      const error = result.errors![0]!;
      expect(error.extensions?.code, JSON.stringify(sweep)).toBe("BAD_USER_INPUT");
      if (error.extensions?.field !== undefined) expect(error.extensions.field, JSON.stringify(sweep)).toBe(field);
      else expect(JSON.stringify(error.extensions), JSON.stringify(sweep)).toContain(field.replace("input.", ""));
      expect(error.message, JSON.stringify(sweep)).toMatch(message);
    }
    expect(await app.countRows(WRITE_TABLES)).toEqual(before);
  });
});
