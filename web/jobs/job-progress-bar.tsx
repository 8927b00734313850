"use client";

import { useSubscription } from "@apollo/client/react";
import { useEffect, useId } from "react";
import { describeApiError } from "../apollo/describe-api-error";
import type { QueueJobStatus } from "../gql/graphql";
import { JobProgressSubscription } from "./job-operations";

/** What a job does, as people say it (job names are the queue handlers'). */
const JOB_LABELS: Record<string, string> = {
  "train-model": "Training",
  sweep: "Sweep",
  "rollout-check": "Canary rollout check",
  "batch-inference": "Batch inference",
  "monitor-deployment": "Drift check",
  export: "Export",
};

export function jobLabel(name: string): string {
  return JOB_LABELS[name] ?? name.replace(/-/g, " ");
}

export interface JobState {
  status: QueueJobStatus;
  progress: number;
  message: string | null;
  error: string | null;
}

/**
 * A live progress bar of one background job (training, sweep, rollout check, export), fed by the
 * jobProgress subscription: its current state at once, then every change until it ends.
 */
export function JobProgressBar(props: {
  jobId: string;
  /** Shown before the first event arrives and as the bar's name, e.g. "Audit export (JSONL)". */
  label?: string;
  /** Called with every state, so the page can act when the job ends. */
  onState?: (state: JobState) => void;
}) {
  const id = useId();
  const { jobId, onState } = props;
  const subscription = useSubscription(JobProgressSubscription, { variables: { jobId } });
  const event = subscription.data?.jobProgress;
  useEffect(() => {
    if (event) onState?.({ status: event.status, progress: event.progress, message: event.message, error: event.error });
  }, [event, onState]);

  const name = props.label ?? (event ? jobLabel(event.name) : "Job");
  if (subscription.error) {
    return (
      <div className="job-progress error" role="alert">
        {name}: cannot follow its progress ({describeApiError(subscription.error).message})
      </div>
    );
  }
  const status = event?.status ?? "WAITING";
  const percent = event?.progress ?? 0;
  const detail =
    status === "FAILED"
      ? `failed${event?.error ? `: ${event.error}` : ""}`
      : status === "COMPLETED"
        ? "done"
        : `${percent} %${event?.message ? ` · ${event.message}` : status === "WAITING" ? " · waiting for a worker" : ""}`;
  return (
    <div
      className={`job-progress status-${status.toLowerCase()}`}
      data-testid="job-progress"
      data-status={status}
      data-job-id={jobId}
    >
      <label htmlFor={id}>{name}</label>
      <progress id={id} max={100} value={status === "COMPLETED" ? 100 : percent} aria-valuetext={`${name}: ${detail}`} />
      <span className="job-progress-detail" aria-live="polite">
        {detail}
      </span>
    </div>
  );
}
