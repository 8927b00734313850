import type { CanaryStats, RolloutThresholds } from "./rollout.repository.js";

export type CanaryAction = "WAIT" | "PROMOTE" | "ROLLBACK" | "ABORT";

export interface CanaryDecision {
  action: CanaryAction;
  /** Why, in words for the revision's reason and the rollout record. */
  reason: string;
}

export interface CanaryProgress {
  /** Time since the rollout started. */
  elapsedMs: number;
  windowMs: number;
}

function percent(fraction: number): string {
  return `${Number((fraction * 100).toFixed(3))}%`;
}

function describe(stats: CanaryStats): string {
  const latency = stats.p99Ms === null ? "no latency yet" : `p50 ${stats.p50Ms} ms, p99 ${stats.p99Ms} ms`;
  return `${stats.requests} requests, ${stats.errors} errors (${percent(stats.errorRate)}), ${latency}`;
}

/**
 * What a health check does with the canary's statistics since the rollout started: roll back at
 * once when its error rate or p99 latency is over the limit; otherwise wait until the window has
 * passed, then promote — or abort (back to the baseline) when it served too few requests to judge.
 */
export function decideCanary(stats: CanaryStats, thresholds: RolloutThresholds, progress: CanaryProgress): CanaryDecision {
  if (stats.requests > 0 && stats.errorRate > thresholds.maxErrorRate) {
    return {
      action: "ROLLBACK",
      reason: `Canary error rate ${percent(stats.errorRate)} is above the limit of ${percent(thresholds.maxErrorRate)} (${describe(stats)}).`,
    };
  }
  if (stats.p99Ms !== null && stats.p99Ms > thresholds.maxP99Ms) {
    return {
      action: "ROLLBACK",
      reason: `Canary p99 latency ${stats.p99Ms} ms is above the limit of ${thresholds.maxP99Ms} ms (${describe(stats)}).`,
    };
  }
  if (progress.elapsedMs < progress.windowMs) {
    return { action: "WAIT", reason: `Healthy so far (${describe(stats)}).` };
  }
  if (stats.requests < thresholds.minRequests) {
    return {
      action: "ABORT",
      reason: `Canary served ${stats.requests} requests over the ${progress.windowMs / 1000} s window; at least ${thresholds.minRequests} are needed to judge it.`,
    };
  }
  return {
    action: "PROMOTE",
    reason: `Canary healthy over the ${progress.windowMs / 1000} s window (${describe(stats)}).`,
  };
}
