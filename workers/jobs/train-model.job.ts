import { z } from "zod";
import type { ResolvedTrainingSpec } from "../training/index.js";

/** Queue and name of the training job; one job trains one model version. */
export const TRAIN_MODEL_QUEUE = "training";
export const TRAIN_MODEL_JOB = "train-model";
/** Attempts per job: a data problem fails at once, an infrastructure error (database, disk) is retried. */
export const TRAIN_MODEL_ATTEMPTS = 3;

/**
 * Key of the prediction's statistics in a model version's baselineStats, next to one key per
 * feature column (so no feature column may have this name).
 */
export const PREDICTION_BASELINE_KEY = "prediction";

/** The actor that training jobs write as (audit events, run and model version changes). */
export const TRAINING_ACTOR = "worker:training";

const positive = z.number().positive();
const fraction = z.number().min(0).max(1);

/** ResolvedTrainingSpec as JSON: every default filled in when the job was queued, so a retry trains the same model. */
export const resolvedTrainingSpecSchema = z.strictObject({
  model: z.enum(["logistic_regression", "linear_regression", "mlp"]),
  task: z.enum(["classification", "regression"]),
  seed: z.number().int().min(0).max(0xffffffff),
  validationFraction: z.number().gt(0).max(0.9),
  stratify: z.boolean(),
  maxEpochs: z.number().int().positive(),
  batchSize: z.number().int().positive(),
  optimizer: z.discriminatedUnion("kind", [
    z.strictObject({ kind: z.literal("adam"), learningRate: positive, beta1: fraction, beta2: fraction, epsilon: positive }),
    z.strictObject({ kind: z.literal("sgd"), learningRate: positive, momentum: fraction }),
  ]),
  l2: z.number().min(0),
  earlyStopping: z.union([
    z.literal(false),
    z.strictObject({ patience: z.number().int().positive(), minDelta: z.number().min(0) }),
  ]),
  hiddenLayers: z.array(z.number().int().positive()),
  activation: z.enum(["relu", "tanh"]),
  importance: z.union([
    z.literal(false),
    z.strictObject({ repeats: z.number().int().positive(), maxRows: z.number().int().positive() }),
  ]),
}) satisfies z.ZodType<ResolvedTrainingSpec>;

const rowKey = z.uuid();

/**
 * What startTraining queues (and what a sweep queues once per child): row keys, not global ids.
 * The pipeline job and model are named, not keyed, so the worker creates them when new.
 */
export const trainModelPayloadSchema = z.strictObject({
  namespace: z.string().min(1),
  /** Pipeline job the run belongs to, e.g. train-churn. */
  job: z.string().min(1),
  /** Model to register a version of. */
  model: z.string().min(1),
  description: z.string().nullable(),
  trainDatasetVersionId: rowKey,
  /** Held-out data scored for the registered metrics; null splits validation rows off the training data. */
  validationDatasetVersionId: rowKey.nullable(),
  featureColumns: z.array(z.string().min(1)).min(1),
  target: z.string().min(1),
  spec: resolvedTrainingSpecSchema,
  commitId: rowKey.nullable(),
  featureIds: z.array(rowKey),
  /** Parent run of a sweep (the run gets a PARENT_OF edge); null for a single training run. */
  parentRunId: rowKey.nullable().default(null),
  /** Who asked for the training (the API request's actor), kept with the job record. */
  requestedBy: z.string().nullable().default(null),
});

export type TrainModelPayload = z.infer<typeof trainModelPayloadSchema>;

/** What a finished train-model job reports (the job record's result). Ids are global GraphQL ids. */
export interface TrainModelResult {
  runId: string;
  modelVersionId: string;
  modelVersion: number;
  artifactUri: string;
  artifactSha256: string;
  /** The registered metrics (validation metrics and `featureImportance.<column>`). */
  metrics: Record<string, number>;
  /** False when this artifact was registered before (a repeated job or identical training). */
  registered: boolean;
  epochs?: number;
  bestEpoch?: number;
  stoppedEarly?: boolean;
}

/** The external id of the run a train-model job records: one run per job, however often it is retried. */
export function trainingRunExternalId(jobId: string): string {
  return `job:${jobId}`;
}
