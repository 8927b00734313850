import { z } from "zod";
import type { VisibleNamespaceIds } from "../lib/visible-namespaces.js";

export type RunStatus = "PENDING" | "RUNNING" | "COMPLETED" | "FAILED" | "ABORTED";

/** Latest value of a metric key: the point with the highest step (ties: the later timestamp). */
export interface LatestMetric {
  value: number;
  step: number;
  timestamp: string;
}

export interface RunRecord {
  id: string;
  jobId: string;
  externalId: string | null;
  parentRunId: string | null;
  commitId: string | null;
  status: RunStatus;
  hyperparameters: Record<string, unknown>;
  latestMetrics: Record<string, LatestMetric>;
  errorMessage: string | null;
  nominalTime: Date | null;
  startedAt: Date | null;
  endedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const objectSchema = z.record(z.string(), z.unknown());
const latestMetricsSchema = z.record(z.string(), z.object({ value: z.number(), step: z.number().int(), timestamp: z.string() }));

export function parseHyperparameters(value: unknown): Record<string, unknown> {
  return objectSchema.parse(value);
}

export function parseLatestMetrics(value: unknown): Record<string, LatestMetric> {
  return latestMetricsSchema.parse(value);
}

/** A condition on one key of a JSON column (hyperparameters or latest metric values). */
export interface ValuePredicate {
  key: string;
  eq?: string | number | boolean | undefined;
  gt?: number | undefined;
  gte?: number | undefined;
  lt?: number | undefined;
  lte?: number | undefined;
}

export interface RunFilter {
  /** Namespace name. */
  namespace?: string | undefined;
  jobId?: string | undefined;
  status?: RunStatus | undefined;
  parentRunId?: string | undefined;
  commitId?: string | undefined;
  hyperparameters?: ValuePredicate[] | undefined;
  metrics?: ValuePredicate[] | undefined;
  /** Only runs of jobs of these namespaces (the caller's readable ones); undefined: all. */
  visibleNamespaceIds?: VisibleNamespaceIds;
}

/** Which status a run may move to from each status; terminal states are final. */
export const RUN_TRANSITIONS: Record<RunStatus, RunStatus[]> = {
  PENDING: ["RUNNING", "FAILED", "ABORTED"],
  RUNNING: ["COMPLETED", "FAILED", "ABORTED"],
  COMPLETED: [],
  FAILED: [],
  ABORTED: [],
};
