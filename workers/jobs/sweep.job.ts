import { z } from "zod";

/** Queue and name of a sweep's parent job: it runs once every trial (a train-model child job) has ended. */
export const SWEEP_QUEUE = "training";
export const SWEEP_JOB = "sweep";
/** Attempts of the parent job (it only reads the trials' outcomes and writes the result: cheap to retry). */
export const SWEEP_ATTEMPTS = 3;

/** What the parent job carries: the sweep is found again by its parent run. */
export const sweepPayloadSchema = z.strictObject({
  /** Row key of the sweep's parent run (also the sweep's key). */
  sweepRunId: z.uuid(),
  requestedBy: z.string().nullable().default(null),
});

export type SweepPayload = z.infer<typeof sweepPayloadSchema>;

/** The external id of a sweep's parent run: one per sweep job. */
export function sweepRunExternalId(jobId: string): string {
  return `sweep:${jobId}`;
}

/** What a finished sweep job reports (the job record's result). Ids are global GraphQL ids. */
export interface SweepResult {
  runId: string;
  metric: string;
  goal: "MAXIMIZE" | "MINIMIZE";
  trials: number;
  completedTrials: number;
  failedTrials: number;
  bestChildRunId: string | null;
  bestTrial: number | null;
  bestMetric: number | null;
  bestParams: Record<string, unknown> | null;
  bestModelVersionId: string | null;
}
