import { createHash, randomUUID } from "node:crypto";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname, extname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { parquetWriteBuffer } from "hyparquet-writer";
import * as ort from "onnxruntime-node";
import type { RequestMeta } from "../../server/graphql/context.js";
import { encodeNodeId } from "../../server/graphql/node-id.js";
import type { RunRecord } from "../../server/run/run-record.js";
import type { Services } from "../../server/services.js";
import { ModelSessionCache } from "../../server/serving/model-session-cache.js";
import { ModelNotServableError } from "../../server/serving/serving.errors.js";
import { DatasetReadError } from "../datasets/dataset-errors.js";
import { isTrainableFormat, localPathOf } from "../datasets/dataset-location.js";
import { readDatasetColumns } from "../datasets/read-dataset-columns.js";
import {
  BATCH_INFERENCE_ACTOR,
  BATCH_INFERENCE_ATTEMPTS,
  BATCH_INFERENCE_JOB,
  BATCH_INFERENCE_QUEUE,
  type BatchInferencePayload,
  batchInferencePayloadSchema,
  batchInferenceRunExternalId,
} from "../jobs/batch-inference.job.js";
import { type JobContext, type JobHandler, PermanentJobError } from "../worker-host.js";

/** Rows scored per onnxruntime call. */
export const BATCH_INFERENCE_CHUNK_ROWS = 8_192;

export interface BatchInferenceResult {
  runId: string;
  /** Global id of the registered output dataset version. */
  datasetVersionId: string;
  outputUri: string;
  rowCount: number;
  columns: string[];
}

/** One output column: numbers, or class labels. */
interface OutputColumn {
  name: string;
  values: Float64Array | string[];
}

/**
 * The batch-inference job: reads the dataset version's feature columns (the model signature's
 * featureNames), scores them in chunks with onnxruntime (sessions from SERVING's cache, which
 * checks the artifact's SHA-256), writes features + outputs as a new CSV or Parquet file and
 * registers it as a dataset version produced by the job's run. Lineage: input version ➜ run
 * (CONSUMED), model version ➜ run (USED), run ➜ output version (PRODUCED). Idempotent: the run is
 * found again by `job:<jobId>`, the output file is written whole or not at all, and the same bytes
 * register the same version. Bad data fails the run with the reason and registers nothing.
 */
export function batchInferenceHandler(services: Services, artifactDir: string): JobHandler {
  const sessions = new ModelSessionCache({ maxSessions: 2, batchWindowMicros: 0, maxBatchRows: BATCH_INFERENCE_CHUNK_ROWS });
  return {
    queue: BATCH_INFERENCE_QUEUE,
    name: BATCH_INFERENCE_JOB,
    run: (payload, context) => batchInference(services, sessions, artifactDir, payload, context),
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Problems of the request or the data that retrying cannot fix. */
function isPermanent(error: unknown): boolean {
  return error instanceof DatasetReadError || error instanceof ModelNotServableError || error instanceof PermanentJobError;
}

async function batchInference(
  services: Services,
  sessions: ModelSessionCache,
  artifactDir: string,
  rawPayload: Record<string, unknown>,
  context: JobContext,
): Promise<BatchInferenceResult> {
  const parsed = batchInferencePayloadSchema.safeParse(rawPayload);
  if (!parsed.success) throw new PermanentJobError(`The batch-inference job's payload is invalid: ${parsed.error.message}`);
  const payload = parsed.data;
  const meta: RequestMeta = { actor: { name: BATCH_INFERENCE_ACTOR }, requestId: context.jobId, clientAddress: undefined };
  const run = await services.runs
    .start(meta, {
      job: { namespace: payload.namespace, name: payload.job, jobType: "batch_inference" },
      externalId: batchInferenceRunExternalId(context.jobId),
      parent: null,
      commit: null,
      hyperparameters: {
        modelVersionId: encodeNodeId("ModelVersion", payload.modelVersionId),
        ...(payload.deploymentId ? { deploymentId: encodeNodeId("Deployment", payload.deploymentId) } : {}),
      },
      inputs: [
        { id: payload.datasetVersionId, shownAs: encodeNodeId("DatasetVersion", payload.datasetVersionId), role: "OTHER" },
      ],
      features: [],
      status: "RUNNING",
      startedAt: null,
      nominalTime: null,
    })
    .then(({ run }) => run);
  if (run.status === "FAILED" || run.status === "ABORTED") {
    throw new PermanentJobError(`The run of this job already ended ${run.status}: ${run.errorMessage ?? "no reason recorded"}`);
  }
  const runReference = { id: run.id, shownAs: encodeNodeId("Run", run.id) };
  try {
    await services.batchInference.recordModelInput(meta, run.id, payload.modelVersionId);
    return await score(services, sessions, artifactDir, payload, run, meta, context);
  } catch (error) {
    const permanent = isPermanent(error);
    if (permanent || context.attempt >= BATCH_INFERENCE_ATTEMPTS) {
      await services.runs.update(meta, runReference, { status: "FAILED", errorMessage: messageOf(error) }).catch(() => undefined);
    }
    throw permanent && !(error instanceof PermanentJobError) ? new PermanentJobError(messageOf(error)) : error;
  }
}

async function score(
  services: Services,
  sessions: ModelSessionCache,
  artifactDir: string,
  payload: BatchInferencePayload,
  run: RunRecord,
  meta: RequestMeta,
  context: JobContext,
): Promise<BatchInferenceResult> {
  const runReference = { id: run.id, shownAs: encodeNodeId("Run", run.id) };
  const modelShownAs = encodeNodeId("ModelVersion", payload.modelVersionId);
  const version = await services.batchInference.modelVersion(payload.modelVersionId);
  if (!version) throw new PermanentJobError(`Model version "${modelShownAs}" no longer exists.`);
  const input = await services.batchInference.datasetVersion(payload.datasetVersionId);
  const inputPath = input ? localPathOf(input.uri) : undefined;
  if (!input || !inputPath || !isTrainableFormat(input.format)) {
    throw new PermanentJobError(`Dataset version "${encodeNodeId("DatasetVersion", payload.datasetVersionId)}" cannot be read.`);
  }

  await context.reportProgress(2, "loading the model");
  const model = await sessions.acquire(version, modelShownAs);
  const { featureNames, inputName, classes } = model.signature;

  await context.reportProgress(5, "reading the dataset");
  const table = await readDatasetColumns(
    { path: inputPath, format: input.format },
    featureNames.map((name) => ({ name, kind: "numeric" as const, describedAs: `Feature "${name}"` })),
  );
  if (table.rowCount === 0) throw new DatasetReadError(`Dataset file ${inputPath} has no data rows to score.`);
  const features = table.columns as Float64Array[];

  const outputs = new Map<string, { width: number; values: number[] }>();
  const width = featureNames.length;
  for (let start = 0; start < table.rowCount; start += BATCH_INFERENCE_CHUNK_ROWS) {
    const rows = Math.min(BATCH_INFERENCE_CHUNK_ROWS, table.rowCount - start);
    const values = new Float32Array(rows * width);
    for (let r = 0; r < rows; r++) for (let f = 0; f < width; f++) values[r * width + f] = features[f]![start + r]!;
    const results = await model.session.run({ [inputName]: new ort.Tensor("float32", values, [rows, width]) });
    for (const [name, tensor] of Object.entries(results)) {
      const data = tensor.data as ArrayLike<number | bigint>;
      const entry = outputs.get(name) ?? { width: data.length / rows, values: [] };
      for (let i = 0; i < data.length; i++) entry.values.push(Number(data[i]));
      outputs.set(name, entry);
    }
    await context.reportProgress(10 + (80 * (start + rows)) / table.rowCount, `scored ${start + rows} of ${table.rowCount} rows`);
  }

  const columns: OutputColumn[] = featureNames.map((name, f) => ({ name, values: features[f]! }));
  for (const [name, { width: outputWidth, values }] of outputs)
    columns.push(...outputColumns(name, outputWidth, values, classes));

  await context.reportProgress(92, "writing the scored dataset");
  const outputUri = payload.outputUri ?? pathToFileURL(join(artifactDir, "batch-inference", `${context.jobId}.parquet`)).href;
  const outputPath = localPathOf(outputUri)!;
  const format = extname(outputPath).toLowerCase() === ".csv" ? "CSV" : "PARQUET";
  const bytes = format === "CSV" ? toCsv(columns, table.rowCount) : toParquet(columns);
  await writeWhole(outputPath, bytes);

  await context.reportProgress(96, "registering the scored dataset version");
  const { datasetVersion } = await services.datasets.registerVersion(meta, {
    namespace: payload.namespace,
    dataset: payload.outputDataset,
    uri: outputUri,
    format,
    digest: `sha256:${createHash("sha256").update(bytes).digest("hex")}`,
    schemaFields: columns.map((column) => ({
      name: column.name,
      type: column.values instanceof Float64Array ? "double" : "string",
    })),
    rowCount: table.rowCount,
    sizeBytes: bytes.byteLength,
    snapshotRef: null,
    producedBy: { runId: run.id, shownAs: runReference.shownAs },
  });
  if (run.status !== "COMPLETED") await services.runs.update(meta, runReference, { status: "COMPLETED" });
  return {
    runId: runReference.shownAs,
    datasetVersionId: encodeNodeId("DatasetVersion", datasetVersion.id),
    outputUri,
    rowCount: table.rowCount,
    columns: columns.map((column) => column.name),
  };
}

/** A model output as columns: one when it has one value per row, else one per class (or index). */
function outputColumns(name: string, width: number, values: number[], classes: string[] | undefined): OutputColumn[] {
  const rows = values.length / width;
  if (width === 1) {
    // The label output indexes into the classes: write the class itself.
    if (name === "label" && classes) return [{ name, values: values.map((index) => classes[index] ?? String(index)) }];
    return [{ name, values: Float64Array.from(values) }];
  }
  return Array.from({ length: width }, (_, j) => ({
    name: `${name}_${classes?.length === width ? classes[j] : j}`,
    values: Float64Array.from({ length: rows }, (_, r) => values[r * width + j]!),
  }));
}

function csvCell(value: string | number): string {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function toCsv(columns: readonly OutputColumn[], rowCount: number): Uint8Array {
  const lines = [columns.map((column) => csvCell(column.name)).join(",")];
  for (let r = 0; r < rowCount; r++) lines.push(columns.map((column) => csvCell(column.values[r]!)).join(","));
  return new TextEncoder().encode(`${lines.join("\n")}\n`);
}

function toParquet(columns: readonly OutputColumn[]): Uint8Array {
  const buffer = parquetWriteBuffer({
    columnData: columns.map((column) =>
      column.values instanceof Float64Array
        ? { name: column.name, data: column.values, type: "DOUBLE" as const }
        : { name: column.name, data: column.values, type: "STRING" as const },
    ),
  });
  return new Uint8Array(buffer);
}

/** Writes through a temporary file and a rename, so a reader never sees half a file. */
async function writeWhole(path: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = join(dirname(path), `.${randomUUID()}.tmp`);
  try {
    await writeFile(temporary, bytes);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
