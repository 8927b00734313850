import { createHash, randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parquetWriteBuffer } from "hyparquet-writer";
import * as ort from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRAIN_MODEL_JOB } from "../../workers/jobs/train-model.job.js";
import { createJobHandlers } from "../../workers/job-handlers.js";
import { loadIris } from "../../workers/training/fixtures/iris.js";
import { syntheticClassification, syntheticRegression } from "../../workers/training/synthetic-data.js";
import { train } from "../../workers/training/train.js";
import type { TrainingData } from "../../workers/training/types.js";
import type { JobContext } from "../../workers/worker-host.js";
import { loadConfig } from "../config.js";
import { encodeNodeId, tryDecodeNodeId } from "../graphql/node-id.js";
import { parseColumnBaselines } from "../monitoring/drift/index.js";
import { type TestApp, startTestApp } from "../testing/test-app.js";

const IRIS_CSV = fileURLToPath(new URL("../../workers/training/fixtures/iris.csv", import.meta.url));
const WRITE_TABLES = ["job_record", "job", "run", "model_version", "metric_point"];

const REGISTER_VERSION = `mutation($input: RegisterDatasetVersionInput!) {
  registerDatasetVersion(input: $input) { datasetVersion { id } }
}`;
const START_TRAINING = `mutation($input: StartTrainingInput!) {
  startTraining(input: $input) { job { id queue name status } run { id } }
}`;
const QUEUE_JOB = `query($id: ID!) { queueJob(id: $id) { id status progress message result error attempts } }`;
const MODEL_VERSION = `query($id: ID!) {
  node(id: $id) {
    ... on ModelVersion {
      id version artifactUri artifactSha256 signature metrics description
      model { name }
      sourceRun {
        id status errorMessage hyperparameters externalId
        job { name }
        inputs { role datasetVersion { id } }
        metrics(keys: ["loss", "val_loss", "val_accuracy"]) { key points { step value } }
      }
    }
  }
}`;
const PROVENANCE = `query($id: ID!) {
  provenance(modelVersionId: $id, consistency: LATEST) {
    modelVersions {
      datasetVersions { role datasetVersion { id } }
      runs { depth run { id } }
      features { id }
      commits { id }
    }
  }
}`;
const RUNS = `query($namespace: String!) {
  runs(filter: { namespace: $namespace }) { edges { node { id status errorMessage externalId } } }
}`;

interface QueueJobView {
  id: string;
  status: string;
  progress: number;
  message: string | null;
  result: Record<string, any> | null;
  error: string | null;
  attempts: number;
}

function toCsv(columns: Record<string, ArrayLike<number | string>>): string {
  const names = Object.keys(columns);
  const rows = columns[names[0]!]!.length;
  const lines = [names.join(",")];
  for (let r = 0; r < rows; r++) lines.push(names.map((name) => String(columns[name]![r])).join(","));
  return `${lines.join("\n")}\n`;
}

/** A synthetic data set as named columns: x0…x(F−1) and label. */
function columnsOf(data: TrainingData, from = 0, to = data.target.length): Record<string, number[]> {
  const featureCount = data.featureNames.length;
  const columns: Record<string, number[]> = {};
  data.featureNames.forEach((name, f) => {
    columns[name] = Array.from({ length: to - from }, (_, k) => data.features[(from + k) * featureCount + f]!);
  });
  columns.label = Array.from({ length: to - from }, (_, k) => Number(data.target[from + k]));
  return columns;
}

describe("training: startTraining → train-model worker → model version", () => {
  let app: TestApp;
  let dir: string;
  let artifactDir: string;
  const separable = syntheticClassification({ rows: 600, features: 4, seed: 11, margin: 0.3 });
  const featureColumns = separable.featureNames as string[];
  const versions: Record<string, string> = {};
  let firstJob: { jobId: string; result: Record<string, any> };

  async function register(name: string, uri: string, format: string, schema: string[] = []): Promise<string> {
    const digest = `sha256:${createHash("sha256").update(`${name}|${uri}|${format}`).digest("hex")}`;
    const result = await app.graphql(REGISTER_VERSION, {
      input: {
        namespace: "training",
        dataset: name,
        uri,
        format,
        digest,
        schema: schema.map((field) => ({ name: field, type: "double" })),
      },
    });
    expect(result.errors).toBeUndefined();
    return result.data!.registerDatasetVersion.datasetVersion.id as string;
  }

  async function writeFixture(name: string, content: string | Uint8Array): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, content);
    return pathToFileURL(path).href;
  }

  const baseInput = () => ({
    namespace: "training",
    model: "separable",
    trainDatasetVersionId: versions.separableCsv,
    featureColumns,
    target: "label",
    algorithm: "LOGISTIC_REGRESSION",
    seed: 7,
  });

  async function startTraining(input: Record<string, unknown>) {
    return app.graphql(START_TRAINING, { input });
  }

  async function waitForJob(id: string): Promise<QueueJobView> {
    const deadline = Date.now() + 90_000;
    for (;;) {
      const result = await app.graphql(QUEUE_JOB, { id });
      expect(result.errors).toBeUndefined();
      const job = result.data!.queueJob as QueueJobView;
      if (job.status === "COMPLETED" || job.status === "FAILED") return job;
      if (Date.now() > deadline) throw new Error(`job ${id} did not finish: ${JSON.stringify(job)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async function trainToCompletion(input: Record<string, unknown>): Promise<{ jobId: string; job: QueueJobView }> {
    const started = await startTraining(input);
    expect(started.errors).toBeUndefined();
    const jobId = started.data!.startTraining.job.id as string;
    expect(started.data!.startTraining.job).toMatchObject({ queue: "training", name: TRAIN_MODEL_JOB });
    const job = await waitForJob(jobId);
    expect(job.error).toBeNull();
    expect(job).toMatchObject({ status: "COMPLETED", progress: 100 });
    return { jobId, job };
  }

  async function modelVersion(id: string): Promise<Record<string, any>> {
    const result = await app.graphql(MODEL_VERSION, { id });
    expect(result.errors).toBeUndefined();
    return result.data!.node as Record<string, any>;
  }

  async function baselineStatsOf(modelVersionId: string): Promise<unknown> {
    const key = tryDecodeNodeId(modelVersionId)!.key;
    const { rows } = await app.db.pool.query<{ baseline_stats: unknown }>(
      "SELECT baseline_stats FROM model_version WHERE id = $1::uuid",
      [key],
    );
    return rows[0]?.baseline_stats;
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "pedigree-training-"));
    artifactDir = join(dir, "artifacts");
    app = await startTestApp({ config: { inProcessWorkers: true, artifactDir } });

    const all = columnsOf(separable);
    versions.separableCsv = await register("separable-csv", await writeFixture("separable.csv", toCsv(all)), "CSV", [
      ...featureColumns,
      "label",
    ]);
    // The Parquet copy trains on the first 500 rows and is validated on the last 100 (a CSV).
    const head = columnsOf(separable, 0, 500);
    const parquet = parquetWriteBuffer({
      columnData: [
        ...featureColumns.map((name) => ({ name, data: Float64Array.from(head[name]!), type: "DOUBLE" as const })),
        { name: "label", data: Int32Array.from(head.label!), type: "INT32" as const },
      ],
      rowGroupSize: 128,
    });
    versions.separableParquet = await register(
      "separable-parquet",
      await writeFixture("separable.parquet", new Uint8Array(parquet)),
      "PARQUET",
    );
    versions.separableHoldout = await register(
      "separable-holdout",
      await writeFixture("holdout.csv", toCsv(columnsOf(separable, 500, 600))),
      "CSV",
    );
    versions.iris = await register("iris", pathToFileURL(IRIS_CSV).href, "CSV", [
      "sepal_length",
      "sepal_width",
      "petal_length",
      "petal_width",
      "species",
    ]);
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("trains logistic regression on a separable CSV to ≥ 0.99 accuracy, with run, metrics, artifact, baselines and lineage", async () => {
    const { jobId, job } = await trainToCompletion({ ...baseInput(), description: "first model" });
    firstJob = { jobId, result: job.result! };
    const result = job.result!;
    expect(result).toMatchObject({ modelVersion: 1, registered: true });
    expect(result.epochs).toBeGreaterThan(1);

    const version = await modelVersion(result.modelVersionId);
    expect(version).toMatchObject({ id: result.modelVersionId, model: { name: "separable" }, description: "first model" });
    expect(version.metrics.accuracy).toBeGreaterThanOrEqual(0.99);
    expect(version.metrics.rocAuc).toBeGreaterThan(0.99);
    for (const column of featureColumns) expect(typeof version.metrics[`featureImportance.${column}`]).toBe("number");
    expect(version.signature).toMatchObject({
      format: "onnx",
      task: "binary",
      featureNames: featureColumns,
      classes: ["0", "1"],
      inputs: [{ name: "features", dtype: "float32", shape: [null, 4] }],
    });

    // The run: COMPLETED, the resolved spec as hyperparameters, one metric point per epoch and key.
    const run = version.sourceRun;
    expect(run).toMatchObject({
      id: result.runId,
      status: "COMPLETED",
      errorMessage: null,
      externalId: `job:${tryDecodeNodeId(jobId)!.key}`,
      job: { name: "train-separable" },
      inputs: [{ role: "TRAIN", datasetVersion: { id: versions.separableCsv } }],
    });
    expect(run.hyperparameters).toMatchObject({ model: "logistic_regression", task: "classification", seed: 7, maxEpochs: 200 });
    const series = run.metrics as Array<{ key: string; points: Array<{ step: number }> }>;
    expect(series.map((entry) => entry.key).sort()).toEqual(["loss", "val_accuracy", "val_loss"]);
    for (const entry of series) {
      expect(entry.points.map((point) => point.step)).toEqual(Array.from({ length: result.epochs }, (_, k) => k + 1));
    }

    // The artifact: content-addressed in the artifact folder, and it runs in onnxruntime.
    expect(version.artifactUri).toBe(pathToFileURL(join(artifactDir, `${version.artifactSha256}.onnx`)).href);
    const bytes = await readFile(fileURLToPath(version.artifactUri));
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(version.artifactSha256);
    const session = await ort.InferenceSession.create(bytes);
    const rows = separable.target.length;
    const outputs = await session.run({ features: new ort.Tensor("float32", Float32Array.from(separable.features), [rows, 4]) });
    const labels = outputs.label!.data as BigInt64Array;
    let correct = 0;
    for (let r = 0; r < rows; r++) if (Number(labels[r]) === Number(separable.target[r])) correct++;
    expect(correct / rows).toBeGreaterThanOrEqual(0.99);

    // Drift baselines: every feature and the prediction, in the drift module's schema.
    const baselines = parseColumnBaselines(await baselineStatsOf(result.modelVersionId));
    expect(Object.keys(baselines).sort()).toEqual([...featureColumns, "prediction"].sort());
    expect(baselines.x0).toMatchObject({ kind: "numeric", count: rows, nullCount: 0 });
    expect(baselines.prediction).toMatchObject({ kind: "categorical", count: rows });

    // Lineage: dataset version (TRAIN) ➜ run ➜ model version.
    const provenance = await app.graphql(PROVENANCE, { id: result.modelVersionId });
    expect(provenance.errors).toBeUndefined();
    const entry = provenance.data!.provenance.modelVersions[0];
    expect(entry.runs).toContainEqual({ depth: 1, run: { id: result.runId } });
    expect(entry.datasetVersions).toContainEqual({ role: "TRAIN", datasetVersion: { id: versions.separableCsv } });
  });

  it("trains on Parquet with a separate validation dataset version, features and a commit in its lineage", async () => {
    const featureSet = await app.graphql(
      `mutation { registerFeatureSet(input: { namespace: "training", name: "separable" }) { featureSet { id } } }`,
    );
    const feature = await app.graphql(
      `mutation($set: ID!) { registerFeature(input: { featureSetId: $set, name: "x0", dtype: "double" }) { feature { id } } }`,
      { set: featureSet.data!.registerFeatureSet.featureSet.id },
    );
    const commit = await app.graphql(
      `mutation { registerCodeCommit(input: { namespace: "training", repository: "git@example.com:ml/train.git", sha: "${"a1".repeat(20)}" }) { codeCommit { id } } }`,
    );
    expect([featureSet.errors, feature.errors, commit.errors]).toEqual([undefined, undefined, undefined]);
    const featureId = feature.data!.registerFeature.feature.id as string;
    const commitId = commit.data!.registerCodeCommit.codeCommit.id as string;
    const { job } = await trainToCompletion({
      ...baseInput(),
      model: "separable-parquet",
      trainDatasetVersionId: versions.separableParquet,
      validationDatasetVersionId: versions.separableHoldout,
      featureIds: [featureId],
      commitId,
    });
    const version = await modelVersion(job.result!.modelVersionId);
    expect(version.metrics.accuracy).toBeGreaterThanOrEqual(0.99);
    expect(version.metrics.validationRows).toBe(100);
    expect(version.sourceRun.inputs).toEqual([
      { role: "TRAIN", datasetVersion: { id: versions.separableParquet } },
      { role: "VALIDATION", datasetVersion: { id: versions.separableHoldout } },
    ]);
    const baselines = parseColumnBaselines(await baselineStatsOf(version.id));
    expect(baselines.x1).toMatchObject({ kind: "numeric", count: 500 });
    const provenance = await app.graphql(PROVENANCE, { id: version.id });
    expect(provenance.errors).toBeUndefined();
    const entry = provenance.data!.provenance.modelVersions[0];
    expect(entry.features).toEqual([{ id: featureId }]);
    expect(entry.commits).toEqual([{ id: commitId }]);
    expect(entry.datasetVersions).toContainEqual({ role: "VALIDATION", datasetVersion: { id: versions.separableHoldout } });
  });

  it("trains multinomial logistic regression on the Iris fixture exactly as the training core does", async () => {
    const hyperparameters = { validationFraction: 0.3, maxEpochs: 500, earlyStopping: { patience: 30 } };
    const { job } = await trainToCompletion({
      namespace: "training",
      model: "iris",
      trainDatasetVersionId: versions.iris,
      featureColumns: ["sepal_length", "sepal_width", "petal_length", "petal_width"],
      target: "species",
      algorithm: "LOGISTIC_REGRESSION",
      hyperparameters,
      seed: 42,
    });
    const version = await modelVersion(job.result!.modelVersionId);
    const reference = await train({ model: "logistic_regression", seed: 42, ...hyperparameters }, loadIris());
    if (reference.metrics.validation.task === "regression") throw new Error("expected a classifier");
    expect(version.metrics.accuracy).toBe(reference.metrics.validation.accuracy);
    // Within 2 points of the documented reference (workers/training/README.md).
    expect(Math.abs(version.metrics.accuracy - 0.96667)).toBeLessThanOrEqual(0.02);
    expect(version.signature).toMatchObject({ task: "multiclass", classes: ["setosa", "versicolor", "virginica"] });
    expect(job.result!.epochs).toBe(reference.epochs.length);
  });

  it("trains linear regression and an MLP, with regression metrics and a numeric prediction baseline", async () => {
    const { data } = syntheticRegression({ rows: 300, features: 3, seed: 5, noise: 0.1 });
    const columns: Record<string, number[]> = {};
    data.featureNames.forEach((name, f) => {
      columns[name] = Array.from({ length: 300 }, (_, r) => data.features[r * 3 + f]!);
    });
    columns.y = Array.from(data.target as Float64Array);
    const regression = await register("regression", await writeFixture("regression.csv", toCsv(columns)), "CSV");
    const input = {
      namespace: "training",
      trainDatasetVersionId: regression,
      featureColumns: ["x0", "x1", "x2"],
      target: "y",
      seed: 3,
    };

    const linear = await trainToCompletion({ ...input, model: "linear", algorithm: "LINEAR_REGRESSION" });
    const linearVersion = await modelVersion(linear.job.result!.modelVersionId);
    expect(linearVersion.metrics.r2).toBeGreaterThan(0.99);
    expect(Object.keys(linearVersion.metrics)).toEqual(expect.arrayContaining(["mse", "rmse", "mae", "r2"]));
    expect(linearVersion.signature).toMatchObject({ task: "regression", outputs: [{ name: "prediction", shape: [null, 1] }] });
    expect(linearVersion.sourceRun.metrics.map((series: { key: string }) => series.key).sort()).toEqual(["loss", "val_loss"]);
    const baselines = parseColumnBaselines(await baselineStatsOf(linearVersion.id));
    expect(baselines.prediction).toMatchObject({ kind: "numeric", count: 300 });

    const mlp = await trainToCompletion({
      ...input,
      model: "mlp",
      algorithm: "MLP",
      hyperparameters: { task: "regression", hiddenLayers: [8], maxEpochs: 300 },
    });
    const mlpVersion = await modelVersion(mlp.job.result!.modelVersionId);
    expect(mlpVersion.metrics.r2).toBeGreaterThan(0.9);
    expect(mlpVersion.sourceRun.hyperparameters).toMatchObject({
      model: "mlp",
      task: "regression",
      hiddenLayers: [8],
      activation: "relu",
    });
  });

  describe("idempotency of the train-model handler", () => {
    const context = (jobId: string, attempt: number, crashAt?: string): JobContext => ({
      jobId,
      attempt,
      dueAt: new Date(),
      async reportProgress(_percent, message) {
        if (crashAt && message.startsWith(crashAt)) throw new Error(`worker died while ${message}`);
      },
    });
    const handler = () => {
      const handlers = createJobHandlers(app.services, { ...loadConfig({}), artifactDir });
      return handlers.find((candidate) => candidate.name === TRAIN_MODEL_JOB)!;
    };
    async function payloadOf(jobId: string): Promise<Record<string, any>> {
      const { rows } = await app.db.pool.query<{ payload: Record<string, any> }>("SELECT payload FROM job_record WHERE id = $1", [
        tryDecodeNodeId(jobId)!.key,
      ]);
      return rows[0]!.payload;
    }

    it("a finished job run again returns the same model version and writes nothing", async () => {
      const payload = await payloadOf(firstJob.jobId);
      const before = await app.countRows(WRITE_TABLES);
      const again = await handler().run(payload, context(tryDecodeNodeId(firstJob.jobId)!.key, 2));
      expect(again).toMatchObject({
        runId: firstJob.result.runId,
        modelVersionId: firstJob.result.modelVersionId,
        registered: false,
      });
      expect(await app.countRows(WRITE_TABLES)).toEqual(before);
    });

    it("a job that dies after registering resumes on retry: one run, one model version, no repeated metric points", async () => {
      const payload = { ...(await payloadOf(firstJob.jobId)), spec: { ...(await payloadOf(firstJob.jobId)).spec, seed: 99 } };
      const jobId = randomUUID();
      const before = await app.countRows(WRITE_TABLES);
      await expect(handler().run(payload, context(jobId, 1, "completing"))).rejects.toThrow(/worker died/);
      const crashed = await app.countRows(WRITE_TABLES);
      expect(crashed.run).toBe(before.run! + 1);
      expect(crashed.model_version).toBe(before.model_version! + 1);

      const result = (await handler().run(payload, context(jobId, 2))) as Record<string, any>;
      const after = await app.countRows(WRITE_TABLES);
      expect(after).toEqual(crashed);
      const version = await modelVersion(result.modelVersionId);
      expect(version.sourceRun).toMatchObject({ id: result.runId, status: "COMPLETED", externalId: `job:${jobId}` });
      for (const series of version.sourceRun.metrics) {
        expect(series.points.map((point: { step: number }) => point.step)).toEqual(
          Array.from({ length: result.epochs }, (_, k) => k + 1),
        );
      }
    });

    it("identical training in another job reuses the registered version instead of registering it twice", async () => {
      const payload = await payloadOf(firstJob.jobId);
      const before = await app.countRows(["model_version"]);
      const result = (await handler().run(payload, context(randomUUID(), 1))) as Record<string, any>;
      expect(result).toMatchObject({ modelVersionId: firstJob.result.modelVersionId, registered: false });
      expect(result.runId).not.toBe(firstJob.result.runId);
      expect(await app.countRows(["model_version"])).toEqual(before);
    });
  });

  describe("bad input", () => {
    async function expectRefused(input: Record<string, unknown>, code: string, field: string, message?: RegExp) {
      const before = await app.countRows(WRITE_TABLES);
      const result = await startTraining(input);
      expect(result.data ?? null).toBeNull();
      expect(result.errors?.[0]?.extensions).toMatchObject({ code, field });
      if (message) expect(result.errors![0]!.message).toMatch(message);
      expect(await app.countRows(WRITE_TABLES)).toEqual(before);
    }

    it("refuses unknown columns, naming the column", async () => {
      await expectRefused(
        { ...baseInput(), featureColumns: ["x0", "x9"] },
        "BAD_USER_INPUT",
        "input.featureColumns[1]",
        /Column "x9" is not in the schema/,
      );
      await expectRefused({ ...baseInput(), target: "y" }, "BAD_USER_INPUT", "input.target", /Column "y"/);
      await expectRefused({ ...baseInput(), featureColumns: ["x0", "label"] }, "BAD_USER_INPUT", "input.featureColumns[1]");
    });

    it("refuses formats other than CSV and Parquet, and files that are not local", async () => {
      const delta = await register("delta", "file:///lake/delta/table", "DELTA");
      await expectRefused(
        { ...baseInput(), trainDatasetVersionId: delta },
        "BAD_USER_INPUT",
        "input.trainDatasetVersionId",
        /format is DELTA/,
      );
      const remote = await register("remote", "https://example.com/data.csv", "CSV");
      await expectRefused(
        { ...baseInput(), trainDatasetVersionId: remote },
        "BAD_USER_INPUT",
        "input.trainDatasetVersionId",
        /only local files can be trained on/,
      );
      await expectRefused(
        { ...baseInput(), validationDatasetVersionId: remote },
        "BAD_USER_INPUT",
        "input.validationDatasetVersionId",
        /only local files can be trained on/,
      );
    });

    it("refuses unknown or malformed ids", async () => {
      await expectRefused(
        { ...baseInput(), trainDatasetVersionId: encodeNodeId("DatasetVersion", randomUUID()) },
        "NOT_FOUND",
        "input.trainDatasetVersionId",
      );
      await expectRefused({ ...baseInput(), trainDatasetVersionId: "nope" }, "BAD_USER_INPUT", "input.trainDatasetVersionId");
      await expectRefused(
        { ...baseInput(), featureIds: [encodeNodeId("Feature", randomUUID())] },
        "NOT_FOUND",
        "input.featureIds[0]",
      );
      await expectRefused({ ...baseInput(), commitId: encodeNodeId("CodeCommit", randomUUID()) }, "NOT_FOUND", "input.commitId");
    });

    it("refuses bad hyperparameters, naming the field", async () => {
      await expectRefused(
        { ...baseInput(), hyperparameters: { optimizer: { kind: "adam", learningRate: -1 } } },
        "BAD_USER_INPUT",
        "input.hyperparameters.optimizer.learningRate",
      );
      await expectRefused({ ...baseInput(), hyperparameters: { epochs: 3 } }, "BAD_USER_INPUT", "input.hyperparameters.epochs");
      await expectRefused(
        { ...baseInput(), hyperparameters: { maxEpochs: "ten" } },
        "BAD_USER_INPUT",
        "input.hyperparameters.maxEpochs",
      );
      await expectRefused(
        { ...baseInput(), hyperparameters: { hiddenLayers: [8] } },
        "BAD_USER_INPUT",
        "input.hyperparameters.hiddenLayers",
      );
      await expectRefused({ ...baseInput(), algorithm: "MLP" }, "BAD_USER_INPUT", "input.hyperparameters.task");
      await expectRefused({ ...baseInput(), seed: -1 }, "BAD_USER_INPUT", "input.seed");
    });

    async function expectJobFailure(
      name: string,
      content: string | Uint8Array | undefined,
      format: string,
      input: Record<string, unknown>,
      error: RegExp,
    ) {
      const uri = content === undefined ? pathToFileURL(join(dir, `${name}-missing`)).href : await writeFixture(name, content);
      const datasetVersion = await register(name, uri, format);
      const namespace = `failing-${name.replace(/\W/g, "-")}`;
      const before = await app.countRows(["model_version"]);
      const started = await startTraining({ ...baseInput(), namespace, trainDatasetVersionId: datasetVersion, ...input });
      expect(started.errors).toBeUndefined();
      const job = await waitForJob(started.data!.startTraining.job.id);
      expect(job).toMatchObject({ status: "FAILED", attempts: 1, result: null });
      expect(job.error).toMatch(error);
      const runs = await app.graphql(RUNS, { namespace });
      expect(runs.data!.runs.edges).toHaveLength(1);
      expect(runs.data!.runs.edges[0].node).toMatchObject({ status: "FAILED", errorMessage: job.error });
      expect(await app.countRows(["model_version"])).toEqual(before);
    }

    it("a missing file fails the job and the run with a clear reason, registering nothing", async () => {
      await expectJobFailure("missing.csv", undefined, "CSV", {}, /^Dataset file .*missing\.csv-missing does not exist\.$/);
    });

    it("a corrupt Parquet file fails the job and the run", async () => {
      await expectJobFailure("corrupt.parquet", "PAR1 definitely not parquet", "PARQUET", {}, /is not a readable Parquet file/);
    });

    it("a NaN or empty cell fails the job, naming the column and the row", async () => {
      const rows = columnsOf(separable, 0, 50);
      const csv = toCsv(rows).split("\n");
      // Line 9 of the file is data row 8 (line 1 is the header).
      csv[8] = csv[8]!.replace(/^[^,]*/, "NaN");
      await expectJobFailure(
        "nan.csv",
        csv.join("\n"),
        "CSV",
        {},
        /^Feature "x0" is not a number \("NaN"\) in data row 8 \(line 9\)/,
      );
      csv[8] = csv[8]!.replace(/^[^,]*/, "");
      await expectJobFailure(
        "empty-cell.csv",
        csv.join("\n"),
        "CSV",
        {},
        /^Feature "x0" is empty in data row 8 \(line 9\).*impute/,
      );
    });

    it("a non-numeric target for regression fails the job", async () => {
      const columns: Record<string, Array<number | string>> = columnsOf(separable, 0, 50);
      columns.label = columns.label!.map((value) => (value ? "high" : "low"));
      await expectJobFailure(
        "text-target.csv",
        toCsv(columns),
        "CSV",
        { algorithm: "LINEAR_REGRESSION" },
        /^Regression target "label" is not a number \("(high|low)"\) in data row 1 \(line 2\)/,
      );
    });

    it("a file whose columns do not match fails the job, naming the column", async () => {
      await expectJobFailure(
        "other-columns.csv",
        "a,b\n1,2\n",
        "CSV",
        {},
        /^Column "x0" is not in dataset file .*; its columns are "a", "b"\./,
      );
    });
  });
});

describe("training when the queue store is down", () => {
  let app: TestApp;
  let train: string;
  beforeAll(async () => {
    app = await startTestApp({ config: { redisUrl: "redis://127.0.0.1:1" } });
    const result = await app.graphql(REGISTER_VERSION, {
      input: {
        namespace: "training",
        dataset: "d",
        uri: "file:///data/d.csv",
        format: "CSV",
        digest: `sha256:${"ab".repeat(32)}`,
      },
    });
    train = result.data!.registerDatasetVersion.datasetVersion.id;
  });
  afterAll(async () => {
    await app?.close();
  });

  it("answers SERVICE_UNAVAILABLE and writes nothing", async () => {
    const before = await app.countRows(WRITE_TABLES);
    const result = await app.graphql(START_TRAINING, {
      input: {
        namespace: "training",
        model: "m",
        trainDatasetVersionId: train,
        featureColumns: ["a"],
        target: "y",
        algorithm: "LOGISTIC_REGRESSION",
      },
    });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: "SERVICE_UNAVAILABLE" });
    expect(result.errors![0]!.message).toMatch(/cannot be queued/);
    expect(await app.countRows(WRITE_TABLES)).toEqual(before);
  });
});
