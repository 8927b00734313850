import { readFileSync } from "node:fs";
import type { Database } from "../db/database.js";
import { LATENCY_BUCKET_COUNT, emptyLatencyCounts, latencyQuantile } from "./latency-histogram.js";

const UPSERT_SERVING_STATS = readFileSync(new URL("./queries/upsert-serving-stats.sql", import.meta.url), "utf8");
const SERVING_STATS_TOTALS = readFileSync(new URL("./queries/serving-stats-totals.sql", import.meta.url), "utf8");
const SERVING_STATS_HISTOGRAM = readFileSync(new URL("./queries/serving-stats-histogram.sql", import.meta.url), "utf8");

/** Width of one stored bucket: windows are answered to this granularity. */
export const SERVING_STATS_BUCKET_MS = 10_000;

/** Start of the bucket holding `at`. */
export function servingStatsBucketStart(at: number): Date {
  return new Date(Math.floor(at / SERVING_STATS_BUCKET_MS) * SERVING_STATS_BUCKET_MS);
}

/** Counts one serving process adds to one bucket of one deployment × model version. */
export interface ServingStatsIncrement {
  deploymentId: string;
  modelVersionId: string;
  bucketStart: Date;
  requests: number;
  errors: number;
  latencySumMs: number;
  /** LATENCY_BUCKET_COUNT counts (see latency-histogram.ts). */
  latencyCounts: number[];
}

/** What a deployment (or one of its model versions) served over a window. */
export interface ServingWindowStats {
  requests: number;
  errors: number;
  /** errors / requests; 0 when there were no requests. */
  errorRate: number;
  /** Null when there were no requests. */
  p50Ms: number | null;
  p99Ms: number | null;
}

export interface ModelVersionServingStats extends ServingWindowStats {
  modelVersionId: string;
}

interface TotalsRow {
  modelVersionId: string;
  requests: number;
  errors: number;
}

interface HistogramRow {
  modelVersionId: string;
  index: number;
  count: number;
}

function summarize(requests: number, errors: number, counts: readonly number[]): ServingWindowStats {
  return {
    requests,
    errors,
    errorRate: requests === 0 ? 0 : errors / requests,
    p50Ms: latencyQuantile(counts, 0.5),
    p99Ms: latencyQuantile(counts, 0.99),
  };
}

/**
 * Persisted serving statistics per deployment × model version in SERVING_STATS_BUCKET_MS buckets,
 * written by the serving process (about once a second) so that any process — a rollout or
 * monitoring worker — can read them. Windows cover the buckets that start in [from, to).
 */
export class ServingStatsRepository {
  constructor(private readonly db: Database) {}

  /** Adds the increments to their buckets (one statement; each key at most once). */
  async add(increments: readonly ServingStatsIncrement[]): Promise<void> {
    if (increments.length === 0) return;
    await this.db.pool.query(UPSERT_SERVING_STATS, [
      increments.map((i) => i.deploymentId),
      increments.map((i) => i.modelVersionId),
      increments.map((i) => i.bucketStart),
      increments.map((i) => i.requests),
      increments.map((i) => i.errors),
      increments.map((i) => i.latencySumMs),
      increments.map((i) => `{${i.latencyCounts.join(",")}}`),
    ]);
  }

  /** Totals of one deployment over [from, to): of one model version, or of all when `modelVersionId` is null. */
  async window(deploymentId: string, modelVersionId: string | null, from: Date, to: Date): Promise<ServingWindowStats> {
    const perVersion = await this.read(deploymentId, modelVersionId, from, to);
    let requests = 0;
    let errors = 0;
    const counts = emptyLatencyCounts();
    for (const version of perVersion.values()) {
      requests += version.requests;
      errors += version.errors;
      version.counts.forEach((count, i) => {
        counts[i]! += count;
      });
    }
    return summarize(requests, errors, counts);
  }

  /** One entry per model version of the deployment that served in [from, to), by model version id. */
  async windowByModelVersion(deploymentId: string, from: Date, to: Date): Promise<ModelVersionServingStats[]> {
    const perVersion = await this.read(deploymentId, null, from, to);
    return [...perVersion.entries()]
      .map(([modelVersionId, v]) => ({ modelVersionId, ...summarize(v.requests, v.errors, v.counts) }))
      .sort((a, b) => a.modelVersionId.localeCompare(b.modelVersionId));
  }

  private async read(deploymentId: string, modelVersionId: string | null, from: Date, to: Date) {
    const parameters = [deploymentId, modelVersionId, servingStatsBucketStart(from.getTime()), to];
    const [totals, histogram] = await Promise.all([
      this.db.pool.query<TotalsRow>(SERVING_STATS_TOTALS, parameters),
      this.db.pool.query<HistogramRow>(SERVING_STATS_HISTOGRAM, parameters),
    ]);
    const perVersion = new Map<string, { requests: number; errors: number; counts: number[] }>();
    for (const row of totals.rows) {
      perVersion.set(row.modelVersionId, { requests: row.requests, errors: row.errors, counts: emptyLatencyCounts() });
    }
    for (const row of histogram.rows) {
      const version = perVersion.get(row.modelVersionId);
      // ORDINALITY is 1-based.
      if (version && row.index >= 1 && row.index <= LATENCY_BUCKET_COUNT) version.counts[row.index - 1]! += row.count;
    }
    return perVersion;
  }
}
