import { z } from "zod";

/** Batch inference: one job scores one dataset version with one model version into a new dataset version. */
export const BATCH_INFERENCE_QUEUE = "serving";
export const BATCH_INFERENCE_JOB = "batch-inference";
export const BATCH_INFERENCE_ATTEMPTS = 3;
export const BATCH_INFERENCE_ACTOR = "worker:batch-inference";

/** The run of a batch-inference job is found again on retry by this external id. */
export function batchInferenceRunExternalId(jobId: string): string {
  return `job:${jobId}`;
}

const rowKey = z.uuid();

export const batchInferencePayloadSchema = z.strictObject({
  namespace: z.string().min(1),
  /** Pipeline job of the run, e.g. batch-inference-churn. */
  job: z.string().min(1),
  modelVersionId: rowKey,
  datasetVersionId: rowKey,
  /** The deployment whose serving version was chosen, when the request named a deployment. */
  deploymentId: rowKey.nullable(),
  /** Local file URI of the output; null writes <artifactDir>/batch-inference/<jobId>.parquet. */
  outputUri: z.string().nullable(),
  /** Dataset the scored version is registered under. */
  outputDataset: z.string().min(1),
  requestedBy: z.string().nullable(),
});
export type BatchInferencePayload = z.infer<typeof batchInferencePayloadSchema>;
