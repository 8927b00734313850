import type { ChangeRecorder } from "../audit/change-recorder.js";
import type { Database } from "../db/database.js";
import { runInTransaction } from "../db/transaction.js";
import { EntityNotFoundError, InputInvalidError } from "../errors/common-errors.js";
import type { RequestMeta } from "../graphql/context.js";
import type { LineageNodeGuard, NodeReference } from "../lineage/lineage-node-guard.js";
import type { ColumnBaselines } from "../monitoring/drift/index.js";
import type { QueueJobRow } from "../queue/queue-job.repository.js";
import type { QueueRuntime } from "../queue/queue-runtime.js";
import type { Repositories } from "../repositories.js";
import type { RunRecord } from "../run/run-record.js";
import type { Reference } from "../run/run.service.js";
import type { DatasetVersionRecord } from "../dataset/dataset.repository.js";
import type { ModelVersionRecord } from "../model/model-version.repository.js";
import { isTrainableFormat, localPathOf } from "../../workers/datasets/dataset-location.js";
import {
  PREDICTION_BASELINE_KEY,
  TRAIN_MODEL_ATTEMPTS,
  TRAIN_MODEL_JOB,
  TRAIN_MODEL_QUEUE,
  type TrainModelPayload,
  trainingRunExternalId,
} from "../../workers/jobs/train-model.job.js";
import type { ModelKind } from "../../workers/training/index.js";
import { resolveHyperparameters } from "./hyperparameters.js";
import { DatasetNotTrainableError, UnknownColumnError } from "./training.errors.js";
import { TrainingRepository } from "./training.repository.js";

export interface StartTrainingCommand {
  namespace: string;
  /** Pipeline job name; null means `train-<model>`. */
  job: string | null;
  model: string;
  description: string | null;
  train: Reference;
  validation: Reference | null;
  featureColumns: string[];
  target: string;
  algorithm: ModelKind;
  hyperparameters: Record<string, unknown>;
  seed: number;
  commit: Reference | null;
  features: Reference[];
}

/** Extra model-version data training records that the registry's own registration does not take yet. */
export interface BaselineRecord {
  /** Per-column drift baselines (features and the prediction), as `parseColumnBaselines` reads them. */
  baselineStats: ColumnBaselines;
}

/**
 * Training as a service: checks a training request against the record (dataset versions, columns,
 * format, location, features, commit, hyperparameters) and queues it — nothing is written when a
 * check fails. The worker calls back here for what it needs beyond the run and model families.
 */
export class TrainingService {
  private readonly training: TrainingRepository;

  constructor(
    private readonly db: Database,
    private readonly repos: Pick<Repositories, "datasets" | "runs" | "modelVersions">,
    private readonly guard: LineageNodeGuard,
    private readonly queues: QueueRuntime,
    private readonly recorder: ChangeRecorder,
  ) {
    this.training = new TrainingRepository(db);
  }

  /** Validates a training request and queues a train-model job; returns the job record (and the run, if already started). */
  async start(meta: RequestMeta, command: StartTrainingCommand): Promise<{ job: QueueJobRow; run: RunRecord | null }> {
    const payload = { ...(await this.checkedPayload(command)), requestedBy: meta.actor.name };
    const job = await this.queues.dispatch(TRAIN_MODEL_QUEUE, TRAIN_MODEL_JOB, payload, { attempts: TRAIN_MODEL_ATTEMPTS });
    return { job, run: await this.runOfJob(job.id) };
  }

  /** The payload of a train-model job for a request, after every check that needs no file access. */
  async checkedPayload(command: StartTrainingCommand): Promise<TrainModelPayload> {
    const spec = resolveHyperparameters(command.algorithm, command.seed, command.hyperparameters);
    if (command.featureColumns.includes(command.target)) {
      const index = command.featureColumns.indexOf(command.target);
      throw new InputInvalidError(
        `input.featureColumns[${index}]`,
        `is the target column "${command.target}"; a model cannot read what it predicts.`,
      );
    }
    const reserved = command.featureColumns.indexOf(PREDICTION_BASELINE_KEY);
    if (reserved >= 0) {
      throw new InputInvalidError(
        `input.featureColumns[${reserved}]`,
        `names a column "${PREDICTION_BASELINE_KEY}", which the drift baselines reserve for the model's output; rename the column.`,
      );
    }
    const sources = [
      { reference: command.train, field: "input.trainDatasetVersionId" },
      ...(command.validation ? [{ reference: command.validation, field: "input.validationDatasetVersionId" }] : []),
    ];
    await runInTransaction(this.db, async (tx) => {
      const versions = await this.repos.datasets.findVersionsByIdsIn(tx, [...new Set(sources.map((s) => s.reference.id))]);
      for (const { reference, field } of sources) {
        const version = versions.find((candidate) => candidate.id === reference.id);
        if (!version) throw new EntityNotFoundError("Dataset version", reference.shownAs, field);
        checkTrainable(version, reference.shownAs, field, command);
      }
      const references: NodeReference[] = [
        ...command.features.map((feature, index) => ({
          type: "FEATURE" as const,
          id: feature.id,
          shownAs: feature.shownAs,
          field: `input.featureIds[${index}]`,
        })),
        ...(command.commit ? [{ type: "CODE_COMMIT" as const, ...command.commit, field: "input.commitId" }] : []),
      ];
      await this.guard.requireAll(tx, references);
    });
    return {
      namespace: command.namespace,
      job: command.job ?? `train-${command.model}`,
      model: command.model,
      description: command.description,
      trainDatasetVersionId: command.train.id,
      validationDatasetVersionId: command.validation?.id ?? null,
      featureColumns: command.featureColumns,
      target: command.target,
      spec,
      commitId: command.commit?.id ?? null,
      featureIds: command.features.map((feature) => feature.id),
      parentRunId: null,
      requestedBy: null,
    };
  }

  /** Dataset versions by row key (the worker reads their files). */
  datasetVersions(ids: readonly string[]): Promise<DatasetVersionRecord[]> {
    return this.repos.datasets.findVersionsByIds(ids);
  }

  /** The run of a train-model job, if it has started. */
  runOfJob(jobId: string): Promise<RunRecord | null> {
    return this.db.prisma.$transaction((tx) => this.repos.runs.findByExternalId(tx, trainingRunExternalId(jobId)));
  }

  /** The model version a run produced, if any. */
  async modelVersionProducedBy(runId: string): Promise<ModelVersionRecord | null> {
    const id = await this.training.modelVersionIdProducedBy(runId);
    return id ? this.db.prisma.$transaction((tx) => this.repos.modelVersions.findById(tx, id)) : null;
  }

  /**
   * Stores the drift baselines of a model version that has none yet (a repeated call keeps the first:
   * a version is immutable). Writes an audit event and outbox row with the change.
   */
  recordBaseline(meta: RequestMeta, modelVersionId: string, record: BaselineRecord): Promise<boolean> {
    return runInTransaction(this.db, async (tx) => {
      const stored = await this.training.baselineStatsForUpdate(tx, modelVersionId);
      if (stored === undefined) throw new EntityNotFoundError("Model version", modelVersionId);
      if (stored !== null) return false;
      await this.training.setBaselineStats(tx, modelVersionId, record.baselineStats);
      const [scoped] = await this.repos.modelVersions.findScopedByIds(tx, [modelVersionId]);
      await this.recorder.record(tx, meta, {
        action: "model_version.baseline_recorded",
        target: { kind: "ModelVersion", id: modelVersionId, namespaceId: scoped?.namespaceId },
        // The statistics are large (samples of every column); the event names the columns.
        after: { baselineColumns: Object.keys(record.baselineStats) },
      });
      return true;
    });
  }
}

/** Format, location and schema columns of a dataset version the worker is to read. */
function checkTrainable(version: DatasetVersionRecord, shownAs: string, field: string, command: StartTrainingCommand): void {
  if (!isTrainableFormat(version.format)) {
    throw new DatasetNotTrainableError(field, shownAs, `its format is ${version.format}; training reads CSV and PARQUET files.`);
  }
  if (!localPathOf(version.uri)) {
    throw new DatasetNotTrainableError(
      field,
      shownAs,
      `its URI is "${version.uri}", and only local files can be trained on (a file:// URI or an absolute path).`,
    );
  }
  if (version.schemaFields.length === 0) return;
  const known = version.schemaFields.map((schemaField) => schemaField.name);
  const columns = [
    ...command.featureColumns.map((column, index) => ({ column, path: `input.featureColumns[${index}]` })),
    { column: command.target, path: "input.target" },
  ];
  for (const { column, path } of columns) {
    if (!known.includes(column)) throw new UnknownColumnError(path, column, shownAs, known);
  }
}
