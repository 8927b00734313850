import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parquetReadObjects } from "hyparquet";
import { parquetWriteBuffer } from "hyparquet-writer";
import * as ort from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeLinearModelArtifact } from "../model/model-artifact.fixtures.js";
import { type TestApp, startTestApp } from "../testing/test-app.js";

const REGISTER_DATASET = `mutation($input: RegisterDatasetVersionInput!) { registerDatasetVersion(input: $input) { datasetVersion { id } } }`;
const REGISTER_MODEL = `mutation($input: RegisterModelVersionInput!) { registerModelVersion(input: $input) { modelVersion { id status } } }`;
const START = `mutation($input: StartBatchInferenceInput!) { startBatchInference(input: $input) { job { id queue name status } } }`;
const QUEUE_JOB = `query($id: ID!) { queueJob(id: $id) { id status progress message result error } }`;
const RUN = `query($id: ID!) { node(id: $id) { ... on Run { id status errorMessage inputs { role datasetVersion { id } } } } }`;
const WRITE_TABLES = ["job_record", "run", "dataset", "dataset_version", "lineage_edge", "audit_event"];

const keyOf = (id: string) => Buffer.from(id, "base64url").toString("utf8").split(":")[1]!;
const WEIGHTS = [0.5, -2, 3];
const BIAS = 1.25;
const ROWS = 37;

describe("batch inference: dataset version → scored dataset version", () => {
  let app: TestApp;
  let dir: string;
  let modelVersionId: string;
  let artifactBytes: Buffer;
  const columns: Record<string, number[]> = {
    x0: Array.from({ length: ROWS }, (_, r) => r / 3),
    x1: Array.from({ length: ROWS }, (_, r) => Math.sin(r)),
    x2: Array.from({ length: ROWS }, (_, r) => (r % 5) - 2.5),
  };

  async function registerDataset(name: string, file: string, content: string | Uint8Array, format: string) {
    const path = join(dir, file);
    await writeFile(path, content);
    const result = await app.graphql(REGISTER_DATASET, {
      input: {
        namespace: "scoring",
        dataset: name,
        uri: pathToFileURL(path).href,
        format,
        digest: `sha256:${createHash("sha256").update(content).digest("hex")}`,
      },
    });
    expect(result.errors).toBeUndefined();
    return result.data!.registerDatasetVersion.datasetVersion.id as string;
  }

  async function runJob(input: Record<string, unknown>) {
    const started = await app.graphql(START, { input });
    expect(started.errors).toBeUndefined();
    expect(started.data!.startBatchInference.job).toMatchObject({ queue: "serving", name: "batch-inference" });
    const id = started.data!.startBatchInference.job.id as string;
    const deadline = Date.now() + 60_000;
    for (;;) {
      const result = await app.graphql(QUEUE_JOB, { id });
      const job = result.data!.queueJob;
      if (job.status === "COMPLETED" || job.status === "FAILED") return job;
      if (Date.now() > deadline) throw new Error(`job did not finish: ${JSON.stringify(job)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** What onnxruntime answers for the fixture rows, straight from the artifact. */
  async function directPredictions(): Promise<number[]> {
    const session = await ort.InferenceSession.create(artifactBytes);
    const values = new Float32Array(ROWS * 3);
    for (let r = 0; r < ROWS; r++) for (let f = 0; f < 3; f++) values[r * 3 + f] = columns[`x${f}`]![r]!;
    const output = await session.run({ features: new ort.Tensor("float32", values, [ROWS, 3]) });
    await session.release();
    return Array.from(output.prediction!.data as Float32Array);
  }

  function toCsv(extra: Record<string, Array<string | number>> = {}) {
    const all = { id: Array.from({ length: ROWS }, (_, r) => `row-${r}`), ...columns, ...extra };
    const names = Object.keys(all);
    const lines = [names.join(",")];
    for (let r = 0; r < ROWS; r++) lines.push(names.map((name) => String(all[name as keyof typeof all]![r])).join(","));
    return `${lines.join("\n")}\n`;
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "pedigree-batch-"));
    app = await startTestApp({ config: { inProcessWorkers: true, artifactDir: join(dir, "artifacts") } });
    const artifact = await writeLinearModelArtifact(dir, WEIGHTS, BIAS);
    artifactBytes = await readFile(artifact.path);
    const registered = await app.graphql(REGISTER_MODEL, {
      input: {
        namespace: "scoring",
        model: "linear",
        artifactUri: artifact.uri,
        artifactSha256: artifact.sha256,
        signature: artifact.signature,
      },
    });
    expect(registered.data!.registerModelVersion.modelVersion.status).toBe("READY");
    modelVersionId = registered.data!.registerModelVersion.modelVersion.id;
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("scores a CSV into a CSV dataset version: same rows, the session's predictions, lineage and a completed run", async () => {
    const input = await registerDataset("customers", "customers.csv", toCsv(), "CSV");
    const outputPath = join(dir, "out", "scored.csv");
    const job = await runJob({ modelVersionId, datasetVersionId: input, outputUri: pathToFileURL(outputPath).href });
    expect(job.error).toBeNull();
    expect(job).toMatchObject({ status: "COMPLETED", progress: 100 });
    expect(job.result).toMatchObject({ rowCount: ROWS, columns: ["x0", "x1", "x2", "prediction"] });

    const lines = (await readFile(outputPath, "utf8")).trimEnd().split("\n");
    expect(lines[0]).toBe("x0,x1,x2,prediction");
    expect(lines).toHaveLength(ROWS + 1);
    const predictions = lines.slice(1).map((line) => Number(line.split(",")[3]));
    expect(predictions).toEqual(await directPredictions());
    // And the model is what it claims: w·x + b.
    for (let r = 0; r < ROWS; r++) {
      const expected = WEIGHTS.reduce((sum, w, f) => sum + w * columns[`x${f}`]![r]!, BIAS);
      expect(predictions[r]).toBeCloseTo(expected, 4);
    }

    const output = job.result.datasetVersionId as string;
    const run = job.result.runId as string;
    const { rows: edges } = await app.db.pool.query(
      `SELECT upstream_type, upstream_id::text AS upstream, kind, downstream_type, downstream_id::text AS downstream
         FROM lineage_edge WHERE (downstream_id = $1::uuid OR upstream_id = $1::uuid) AND valid_to IS NULL ORDER BY kind`,
      [keyOf(run)],
    );
    expect(edges).toEqual(
      expect.arrayContaining([
        {
          upstream_type: "DATASET_VERSION",
          upstream: keyOf(input),
          kind: "CONSUMED",
          downstream_type: "RUN",
          downstream: keyOf(run),
        },
        {
          upstream_type: "MODEL_VERSION",
          upstream: keyOf(modelVersionId),
          kind: "USED",
          downstream_type: "RUN",
          downstream: keyOf(run),
        },
        {
          upstream_type: "RUN",
          upstream: keyOf(run),
          kind: "PRODUCED",
          downstream_type: "DATASET_VERSION",
          downstream: keyOf(output),
        },
      ]),
    );
    const runState = await app.graphql(RUN, { id: run });
    expect(runState.data!.node).toMatchObject({
      status: "COMPLETED",
      inputs: [{ role: "OTHER", datasetVersion: { id: input } }],
    });
    const { rows: registered } = await app.db.pool.query(
      `SELECT v.uri, v.format, v.row_count, d.name FROM dataset_version v JOIN dataset d ON d.id = v.dataset_id WHERE v.id = $1::uuid`,
      [keyOf(output)],
    );
    expect(registered).toEqual([
      { uri: pathToFileURL(outputPath).href, format: "CSV", row_count: ROWS, name: "customers-predictions" },
    ]);
  });

  it("scores a Parquet dataset with the version a deployment serves into a Parquet file under the artifact folder", async () => {
    const parquet = parquetWriteBuffer({
      columnData: Object.entries(columns).map(([name, values]) => ({
        name,
        data: Float64Array.from(values),
        type: "DOUBLE" as const,
      })),
      rowGroupSize: 10,
    });
    const input = await registerDataset("events", "events.parquet", new Uint8Array(parquet), "PARQUET");
    const created = await app.graphql(
      `mutation($input: CreateDeploymentInput!) { createDeployment(input: $input) { deployment { id } } }`,
      {
        input: {
          namespace: "scoring",
          name: "linear-prod",
          environment: "production",
          trafficSplit: [{ modelVersionId, percent: 100 }],
        },
      },
    );
    expect(created.errors).toBeUndefined();
    const job = await runJob({ deploymentId: created.data!.createDeployment.deployment.id, datasetVersionId: input });
    expect(job.error).toBeNull();
    expect(job.result.outputUri).toBe(pathToFileURL(join(dir, "artifacts", "batch-inference", `${keyOf(job.id)}.parquet`)).href);
    const bytes = await readFile(fileURLToPath(job.result.outputUri));
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const rows = (await parquetReadObjects({ file: buffer })) as Array<Record<string, number>>;
    expect(rows).toHaveLength(ROWS);
    expect(rows.map((row) => row.prediction)).toEqual(await directPredictions());
    expect(rows[4]).toMatchObject({ x0: columns.x0![4], x1: columns.x1![4], x2: columns.x2![4] });
  });

  it("fails the run with the reason and registers nothing when the dataset is bad", async () => {
    const notNumeric = await registerDataset(
      "broken",
      "broken.csv",
      toCsv({ x1: Array.from({ length: ROWS }, (_, r) => (r === 6 ? "oops" : r)) }),
      "CSV",
    );
    const missingColumn = await registerDataset("narrow", "narrow.csv", "id,x0,x1\nrow-0,1,2\n", "CSV");
    const gone = await registerDataset("gone", "gone.csv", toCsv(), "CSV");
    await rm(join(dir, "gone.csv"));
    const before = await app.countRows(["dataset_version"]);
    for (const [datasetVersionId, reason] of [
      [notNumeric, /Feature "x1".*row 7/],
      [missingColumn, /Column "x2" is not in dataset file/],
      [gone, /does not exist/],
    ] as const) {
      const job = await runJob({ modelVersionId, datasetVersionId });
      expect(job.status).toBe("FAILED");
      expect(job.error).toMatch(reason);
      const { rows } = await app.db.pool.query("SELECT status, error_message FROM run WHERE external_id = $1", [
        `job:${keyOf(job.id)}`,
      ]);
      expect(rows).toEqual([{ status: "FAILED", error_message: expect.stringMatching(reason) }]);
    }
    expect(await app.countRows(["dataset_version"])).toEqual(before);
  });

  it("refuses a request it cannot serve before queueing anything", async () => {
    const input = await registerDataset("refused", "refused.csv", toCsv(), "CSV");
    const pending = await app.graphql(REGISTER_MODEL, {
      input: { namespace: "scoring", model: "remote", artifactUri: "s3://m/x.onnx", artifactSha256: "a".repeat(64) },
    });
    const before = await app.countRows(WRITE_TABLES);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ modelVersionId: pending.data!.registerModelVersion.modelVersion.id, datasetVersionId: input }, "input.modelVersionId"],
      [{ datasetVersionId: input }, "input"],
      [{ modelVersionId, datasetVersionId: input, outputUri: "s3://bucket/out.csv" }, "input.outputUri"],
      [{ modelVersionId, datasetVersionId: input, outputUri: join(dir, "out.json") }, "input.outputUri"],
    ];
    for (const [request, field] of cases) {
      const result = await app.graphql(START, { input: request });
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field });
    }
    expect(await app.countRows(WRITE_TABLES)).toEqual(before);
  });
});
