import { extname } from "node:path";
import type { ChangeRecorder } from "../audit/change-recorder.js";
import type { Database } from "../db/database.js";
import { runInTransaction } from "../db/transaction.js";
import { EntityNotFoundError, InputInvalidError } from "../errors/common-errors.js";
import type { RequestMeta } from "../graphql/context.js";
import { encodeNodeId } from "../graphql/node-id.js";
import type { QueueJobRow } from "../queue/queue-job.repository.js";
import type { QueueRuntime } from "../queue/queue-runtime.js";
import type { Repositories } from "../repositories.js";
import { ModelVersionNotReadyError } from "../deployment/deployment.errors.js";
import type { ModelVersionRecord } from "../model/model-version.repository.js";
import type { DatasetVersionRecord } from "../dataset/dataset.repository.js";
import { isTrainableFormat, localPathOf } from "../../workers/datasets/dataset-location.js";
import {
  BATCH_INFERENCE_ATTEMPTS,
  BATCH_INFERENCE_JOB,
  BATCH_INFERENCE_QUEUE,
  type BatchInferencePayload,
} from "../../workers/jobs/batch-inference.job.js";

export interface Reference {
  id: string;
  shownAs: string;
}

export interface StartBatchInferenceCommand {
  /** Exactly one of deployment (its largest current share is used) and modelVersion. */
  deployment: Reference | null;
  modelVersion: Reference | null;
  datasetVersion: Reference;
  outputUri: string | null;
}

/**
 * Batch inference as a service: checks a request (a READY model version, or a deployment that
 * serves one; a local CSV or Parquet dataset version; a local output path) and queues the job;
 * nothing is written when a check fails. The worker calls back for what it needs to record.
 */
export class BatchInferenceService {
  constructor(
    private readonly db: Database,
    private readonly repos: Pick<Repositories, "datasets" | "modelVersions" | "deployments">,
    private readonly queues: QueueRuntime,
    private readonly recorder: ChangeRecorder,
  ) {}

  async start(meta: RequestMeta, command: StartBatchInferenceCommand): Promise<QueueJobRow> {
    if (Boolean(command.deployment) === Boolean(command.modelVersion)) {
      throw new InputInvalidError("input", "must name exactly one of deploymentId and modelVersionId.");
    }
    if (command.outputUri !== null) checkOutputUri(command.outputUri);
    const payload = await this.db.prisma.$transaction(async (tx): Promise<BatchInferencePayload> => {
      let modelVersionId: string;
      let modelShownAs: string;
      let modelField: string;
      if (command.deployment) {
        modelField = "input.deploymentId";
        if (!(await this.repos.deployments.findById(tx, command.deployment.id))) {
          throw new EntityNotFoundError("Deployment", command.deployment.shownAs, modelField);
        }
        const current = await this.repos.deployments.latestRevision(tx, command.deployment.id);
        const largest = current ? [...current.trafficSplit].sort((a, b) => b.percent - a.percent)[0] : undefined;
        if (!largest) throw new InputInvalidError(modelField, "names a deployment that serves no model version yet.");
        modelVersionId = largest.modelVersionId;
        modelShownAs = encodeNodeId("ModelVersion", modelVersionId);
      } else {
        modelField = "input.modelVersionId";
        modelVersionId = command.modelVersion!.id;
        modelShownAs = command.modelVersion!.shownAs;
      }
      const [version] = await this.repos.modelVersions.findScopedByIds(tx, [modelVersionId]);
      if (!version) throw new EntityNotFoundError("Model version", modelShownAs, modelField);
      if (version.status !== "READY")
        throw new ModelVersionNotReadyError(modelShownAs, modelField, version.status, version.statusReason);

      const field = "input.datasetVersionId";
      const row = await tx.datasetVersion.findUnique({
        where: { id: command.datasetVersion.id },
        select: { format: true, uri: true, dataset: { select: { name: true, namespace: { select: { name: true } } } } },
      });
      if (!row) throw new EntityNotFoundError("Dataset version", command.datasetVersion.shownAs, field);
      if (!isTrainableFormat(row.format)) {
        throw new InputInvalidError(field, `names a ${row.format} dataset version; batch inference reads CSV and PARQUET files.`);
      }
      if (!localPathOf(row.uri)) {
        throw new InputInvalidError(
          field,
          `names a dataset version at "${row.uri}"; only local files (file:// or an absolute path) can be scored.`,
        );
      }
      const model = await tx.model.findUnique({ where: { id: version.modelId }, select: { name: true } });
      return {
        namespace: row.dataset.namespace.name,
        job: `batch-inference-${model?.name ?? "model"}`,
        modelVersionId,
        datasetVersionId: command.datasetVersion.id,
        deploymentId: command.deployment?.id ?? null,
        outputUri: command.outputUri,
        outputDataset: `${row.dataset.name}-predictions`,
        requestedBy: meta.actor.name,
      };
    });
    return this.queues.dispatch(BATCH_INFERENCE_QUEUE, BATCH_INFERENCE_JOB, payload, { attempts: BATCH_INFERENCE_ATTEMPTS });
  }

  async modelVersion(id: string): Promise<ModelVersionRecord | null> {
    return this.db.prisma.$transaction((tx) => this.repos.modelVersions.findById(tx, id));
  }

  async datasetVersion(id: string): Promise<DatasetVersionRecord | null> {
    const [version] = await this.repos.datasets.findVersionsByIds([id]);
    return version ?? null;
  }

  /** Records that a run read a model version (MODEL_VERSION ➜ RUN, USED) once, however often the worker asks. */
  recordModelInput(meta: RequestMeta, runId: string, modelVersionId: string): Promise<void> {
    return runInTransaction(this.db, async (tx) => {
      await tx.$queryRaw`SELECT id FROM run WHERE id = ${runId}::uuid FOR UPDATE`;
      const existing = await tx.lineageEdge.findFirst({
        where: { upstreamId: modelVersionId, downstreamId: runId, kind: "USED" },
        select: { id: true },
      });
      if (existing) return;
      const run = await tx.run.findUnique({ where: { id: runId }, select: { job: { select: { namespaceId: true } } } });
      await this.recorder.record(tx, meta, {
        action: "run.model_version_used",
        target: { kind: "Run", id: runId, namespaceId: run?.job.namespaceId },
        after: { modelVersionId },
        addEdges: [
          { upstream: { type: "MODEL_VERSION", id: modelVersionId }, downstream: { type: "RUN", id: runId }, kind: "USED" },
        ],
      });
    });
  }
}

/** The output must be a local .csv or .parquet file the worker can write. */
export function checkOutputUri(uri: string): void {
  const path = localPathOf(uri);
  if (!path) throw new InputInvalidError("input.outputUri", `must be a local file (file:// URI or absolute path); got "${uri}".`);
  const extension = extname(path).toLowerCase();
  if (extension !== ".csv" && extension !== ".parquet") {
    throw new InputInvalidError("input.outputUri", `must end in .csv or .parquet; got "${uri}".`);
  }
}
