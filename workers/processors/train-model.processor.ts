import type { ArtifactStore } from "../../server/artifacts/artifact-store.js";
import type { RequestMeta } from "../../server/graphql/context.js";
import { encodeNodeId } from "../../server/graphql/node-id.js";
import type { ModelVersionRecord } from "../../server/model/model-version.repository.js";
import { ModelVersionSourceRunConflictError } from "../../server/model/model.errors.js";
import type { RunRecord } from "../../server/run/run-record.js";
import type { Reference } from "../../server/run/run.service.js";
import type { Services } from "../../server/services.js";
import {
  TRAIN_MODEL_ATTEMPTS,
  TRAIN_MODEL_JOB,
  TRAIN_MODEL_QUEUE,
  TRAINING_ACTOR,
  type TrainModelPayload,
  type TrainModelResult,
  trainModelPayloadSchema,
  trainingRunExternalId,
} from "../jobs/train-model.job.js";
import { exportOnnx, onnxSignature, type TrainedModel, train } from "../training/index.js";
import { type JobContext, type JobHandler, PermanentJobError } from "../worker-host.js";
import { EpochReporter } from "./train-model/epoch-reporter.js";
import { isPermanent, messageOf } from "./train-model/errors.js";
import { reportTrialEnded } from "./train-model/sweep-progress.js";
import { registryMetrics, scoreValidationSet, trainingBaselines } from "./train-model/model-evaluation.js";
import { type LoadedDataset, loadDataset } from "./train-model/training-data.js";

/**
 * The train-model job: one run, one model version. Idempotent: the run is found again by its
 * external id `job:<jobId>`, metrics already logged are not logged twice, the artifact is stored
 * under its SHA-256 and the registry returns the version it already has for that SHA-256.
 */
export function trainModelHandler(services: Services, artifacts: ArtifactStore): JobHandler {
  return {
    queue: TRAIN_MODEL_QUEUE,
    name: TRAIN_MODEL_JOB,
    run: (payload, context) => trainModel(services, artifacts, payload, context),
  };
}

async function trainModel(
  services: Services,
  artifacts: ArtifactStore,
  rawPayload: Record<string, unknown>,
  context: JobContext,
): Promise<TrainModelResult> {
  const parsed = trainModelPayloadSchema.safeParse(rawPayload);
  if (!parsed.success) throw new PermanentJobError(`The train-model job's payload is invalid: ${parsed.error.message}`);
  const payload = parsed.data;
  const meta: RequestMeta = { actor: { name: TRAINING_ACTOR }, requestId: context.jobId, clientAddress: undefined };

  let run: RunRecord;
  try {
    run = await startRun(services, meta, payload, context.jobId);
  } catch (error) {
    throw isPermanent(error) ? new PermanentJobError(messageOf(error)) : error;
  }
  if (run.status === "FAILED" || run.status === "ABORTED") {
    throw new PermanentJobError(`The run of this job already ended ${run.status}: ${run.errorMessage ?? "no reason recorded"}`);
  }
  const runReference: Reference = { id: run.id, shownAs: encodeNodeId("Run", run.id) };
  if (run.status === "COMPLETED") {
    const produced = await services.training.modelVersionProducedBy(run.id);
    if (produced) {
      await reportTrialEnded(services, payload, context);
      return resultOf(run.id, produced, false);
    }
  }

  try {
    const result = await trainAndRegister(services, artifacts, meta, payload, run, runReference, context);
    await reportTrialEnded(services, payload, context);
    return result;
  } catch (error) {
    const permanent = isPermanent(error);
    // On the last attempt any failure ends the run; before it, a transient one leaves the run to the retry.
    if (permanent || context.attempt >= TRAIN_MODEL_ATTEMPTS) {
      // A finished run is immutable; a failure after completion leaves it as it is.
      await services.runs.update(meta, runReference, { status: "FAILED", errorMessage: messageOf(error) }).catch(() => undefined);
      await reportTrialEnded(services, payload, context);
    }
    throw permanent && !(error instanceof PermanentJobError) ? new PermanentJobError(messageOf(error)) : error;
  }
}

/** Starts the job's run, or finds it again when this is a retry (same external id). */
function startRun(services: Services, meta: RequestMeta, payload: TrainModelPayload, jobId: string): Promise<RunRecord> {
  // Error messages quote global ids, as the API would.
  const reference = (kind: "DatasetVersion" | "Feature" | "CodeCommit" | "Run", id: string) => ({
    id,
    shownAs: encodeNodeId(kind, id),
  });
  return services.runs
    .start(meta, {
      job: { namespace: payload.namespace, name: payload.job, jobType: "training" },
      externalId: trainingRunExternalId(jobId),
      parent: payload.parentRunId ? reference("Run", payload.parentRunId) : null,
      commit: payload.commitId ? reference("CodeCommit", payload.commitId) : null,
      hyperparameters: payload.spec,
      inputs: [
        { ...reference("DatasetVersion", payload.trainDatasetVersionId), role: "TRAIN" as const },
        ...(payload.validationDatasetVersionId
          ? [{ ...reference("DatasetVersion", payload.validationDatasetVersionId), role: "VALIDATION" as const }]
          : []),
      ],
      features: payload.featureIds.map((id) => reference("Feature", id)),
      status: "RUNNING",
      startedAt: null,
      nominalTime: null,
    })
    .then(({ run }) => run);
}

async function trainAndRegister(
  services: Services,
  artifacts: ArtifactStore,
  meta: RequestMeta,
  payload: TrainModelPayload,
  run: RunRecord,
  runReference: Reference,
  context: JobContext,
): Promise<TrainModelResult> {
  const { spec } = payload;
  await context.reportProgress(1, "reading the training data");
  const { training, validation } = await readInputs(services, payload);

  const running = run.status === "RUNNING";
  const reporter = new EpochReporter({
    logMetrics: async (points) => {
      if (running) await services.metrics.log(meta, runReference, points);
    },
    reportProgress: context.reportProgress,
    logged: run.latestMetrics,
    // Each epoch streams to runProgress(runId) once its metrics are committed.
    runId: run.id,
    ...(context.publish ? { publish: context.publish } : {}),
  });
  const model = await train(spec, training.data, { onEpoch: reporter.onEpoch });
  await reporter.flush();

  await context.reportProgress(91, "exporting ONNX and computing baselines");
  const artifact = await artifacts.put(exportOnnx(model), "onnx");
  const metrics = registryMetrics(
    validation ? scoreValidationSet(model, validation) : model.metrics.validation,
    model.importance,
  );
  const baselineStats = trainingBaselines(model, training);

  await context.reportProgress(95, "registering the model version");
  const { modelVersion, created } = await register(services, meta, payload, model, runReference, {
    uri: artifact.uri,
    sha256: artifact.sha256,
    metrics,
  });
  await services.training.recordBaseline(meta, modelVersion.id, { baselineStats });

  await context.reportProgress(98, "completing the run");
  await services.runs.update(meta, runReference, { status: "COMPLETED" });
  return {
    ...resultOf(run.id, modelVersion, created),
    epochs: model.epochs.length,
    bestEpoch: model.bestEpoch,
    stoppedEarly: model.stoppedEarly,
  };
}

async function readInputs(
  services: Services,
  payload: TrainModelPayload,
): Promise<{ training: LoadedDataset; validation: LoadedDataset | undefined }> {
  const ids = [
    payload.trainDatasetVersionId,
    ...(payload.validationDatasetVersionId ? [payload.validationDatasetVersionId] : []),
  ];
  const versions = await services.training.datasetVersions(ids);
  const version = (id: string) => {
    const found = versions.find((candidate) => candidate.id === id);
    if (!found) throw new PermanentJobError(`Dataset version "${encodeNodeId("DatasetVersion", id)}" no longer exists.`);
    return found;
  };
  const columns = { featureColumns: payload.featureColumns, target: payload.target };
  const training = await loadDataset(version(payload.trainDatasetVersionId), columns, payload.spec.task);
  const validation = payload.validationDatasetVersionId
    ? await loadDataset(version(payload.validationDatasetVersionId), columns, payload.spec.task)
    : undefined;
  return { training, validation };
}

/**
 * Registers the artifact as a model version produced by the run. Identical training (same data,
 * settings and seed) yields the same bytes: when another run already registered them, that
 * version is the answer and keeps its source run.
 */
async function register(
  services: Services,
  meta: RequestMeta,
  payload: TrainModelPayload,
  model: TrainedModel,
  runReference: Reference,
  artifact: { uri: string; sha256: string; metrics: Record<string, number> },
): Promise<{ modelVersion: ModelVersionRecord; created: boolean }> {
  const command = {
    namespace: payload.namespace,
    model: payload.model,
    artifactUri: artifact.uri,
    artifactSha256: artifact.sha256,
    signature: { ...onnxSignature(model) },
    metrics: artifact.metrics,
    description: payload.description,
    sourceRun: { runId: runReference.id, shownAs: runReference.shownAs },
    aliases: [],
  };
  try {
    return await services.modelVersions.registerVersion(meta, command);
  } catch (error) {
    if (!(error instanceof ModelVersionSourceRunConflictError)) throw error;
    return services.modelVersions.registerVersion(meta, { ...command, sourceRun: undefined });
  }
}

function resultOf(runId: string, modelVersion: ModelVersionRecord, created: boolean): TrainModelResult {
  return {
    runId: encodeNodeId("Run", runId),
    modelVersionId: encodeNodeId("ModelVersion", modelVersion.id),
    modelVersion: modelVersion.version,
    artifactUri: modelVersion.artifactUri,
    artifactSha256: modelVersion.artifactSha256,
    metrics: modelVersion.metrics,
    registered: created,
  };
}
