/**
 * Event topics and the payloads published on them. Payloads travel as JSON (over Redis between
 * processes), so they hold only JSON values: ids are row keys (UUIDs, not global node ids) and
 * times are ISO-8601 strings.
 */

/** Status of a queue job as its job record shows it (same values as QueueJobStatus). */
export type JobProgressStatus = "WAITING" | "ACTIVE" | "COMPLETED" | "FAILED" | "DELAYED";

/** A job record changed: progress reported, or its status moved. */
export interface JobProgressEvent {
  /** job_record id (row key). */
  jobId: string;
  queue: string;
  name: string;
  status: JobProgressStatus;
  /** 0–100. */
  progress: number;
  message: string | null;
  /** Why the last attempt failed (FAILED, or WAITING for a retry). */
  error: string | null;
  attempt: number;
  /** ISO-8601. */
  at: string;
}

/** One training epoch of a run, after its metrics were committed to the run's series. */
export interface RunProgressEvent {
  /** run id (row key). */
  runId: string;
  epoch: number;
  /** Epoch limit of the training (early stopping may end sooner); null when unknown. */
  maxEpochs: number | null;
  /** Metric key → value at this epoch (step = epoch), e.g. loss, val_loss, val_accuracy. */
  metrics: Record<string, number>;
  /** ISO-8601. */
  at: string;
  /** Set on the run's last event only: how it ended (the stream ends after it). */
  status?: "COMPLETED" | "FAILED" | "ABORTED";
  /** Why a FAILED run failed; last event only. */
  errorMessage?: string | null;
}

/** What happened to a deployment (published by the deployment/rollout code after its commit). */
export interface DeploymentEvent {
  /** deployment id (row key). */
  deploymentId: string;
  /** e.g. CREATED, ROLLOUT_STARTED, PROMOTED, ROLLED_BACK, TRAFFIC_CHANGED. */
  kind: string;
  /** The deployment revision this change wrote, when it wrote one (row key). */
  revisionId: string | null;
  message: string;
  /** Traffic split after the change, when it changed. */
  trafficSplit: Array<{ modelVersionId: string; percent: number }> | null;
  actor: string | null;
  /** ISO-8601. */
  at: string;
}

/** An alert was raised by a monitoring rule (drift, latency, error rate, accuracy). */
export interface DriftAlertEvent {
  /** alert id (row key). */
  alertId: string;
  /** deployment id (row key). */
  deploymentId: string;
  /** Namespace name of the deployment. */
  namespace: string;
  /** What fired, e.g. DATA_DRIFT, PREDICTION_DRIFT, LATENCY, ERROR_RATE, ACCURACY. */
  kind: string;
  /** e.g. WARNING, CRITICAL. */
  severity: string;
  message: string;
  /** ISO-8601. */
  raisedAt: string;
  driftingFeatures: string[];
}

const TOPIC_PREFIX = "pedigree";

export function jobProgressTopic(jobId: string): string {
  return `${TOPIC_PREFIX}.job-progress.${jobId}`;
}

export function runProgressTopic(runId: string): string {
  return `${TOPIC_PREFIX}.run-progress.${runId}`;
}

export function deploymentEventsTopic(deploymentId: string): string {
  return `${TOPIC_PREFIX}.deployment-events.${deploymentId}`;
}

/** Every alert goes to one topic; subscribers filter by namespace, deployment and kind. */
export const DRIFT_ALERTS_TOPIC = `${TOPIC_PREFIX}.drift-alerts`;
