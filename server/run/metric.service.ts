import type { ChangeRecorder } from "../audit/change-recorder.js";
import type { Database } from "../db/database.js";
import { runInTransaction } from "../db/transaction.js";
import type { RequestMeta } from "../graphql/context.js";
import type { MetricPoint, MetricPointRepository } from "./metric-point.repository.js";
import { type MetricPointInputShape, validateMetricPoints } from "./metric-points.validation.js";
import type { LatestMetric, RunRecord } from "./run-record.js";
import { RunNotFoundError, RunStateError } from "./run.errors.js";
import type { RunRepository } from "./run.repository.js";
import type { JobService } from "./job.service.js";
import type { Reference } from "./run.service.js";

/** Newer means a higher step, or the same step logged later. */
function isNewer(point: MetricPoint, current: LatestMetric | undefined): boolean {
  if (!current) return true;
  if (point.step !== current.step) return point.step > current.step;
  return point.timestamp.getTime() >= Date.parse(current.timestamp);
}

export function mergeLatestMetrics(latest: RunRecord["latestMetrics"], points: MetricPoint[]): RunRecord["latestMetrics"] {
  const merged = { ...latest };
  for (const point of points) {
    if (isNewer(point, merged[point.key])) {
      merged[point.key] = { value: point.value, step: point.step, timestamp: point.timestamp.toISOString() };
    }
  }
  return merged;
}

export class MetricService {
  constructor(
    private readonly db: Database,
    private readonly runs: RunRepository,
    private readonly metricPoints: MetricPointRepository,
    private readonly jobs: JobService,
    private readonly recorder: ChangeRecorder,
  ) {}

  /**
   * Appends a batch of metric points (up to 10,000) to a PENDING or RUNNING run and updates its
   * latest values; a finished run takes no more points (CONFLICT).
   */
  log(meta: RequestMeta, run: Reference, input: MetricPointInputShape[]) {
    const points = validateMetricPoints(input, new Date());
    return runInTransaction(this.db, async (tx) => {
      const before = await this.runs.findByIdForUpdate(tx, run.id);
      if (!before) throw new RunNotFoundError(run.shownAs, "input.runId");
      // Metrics describe a run while it works; a finished run's record is final.
      if (before.status !== "PENDING" && before.status !== "RUNNING") {
        throw new RunStateError(run.shownAs, before.status, { metrics: true });
      }
      await this.metricPoints.insertBatch(tx, run.id, points);
      const after = await this.runs.setLatestMetrics(tx, run.id, mergeLatestMetrics(before.latestMetrics, points));
      const keys = [...new Set(points.map((point) => point.key))];
      await this.recorder.record(tx, meta, {
        action: "run.metrics_logged",
        target: { kind: "Run", id: run.id, namespaceId: (await this.jobs.namespaceOf(tx, before.jobId)) ?? undefined },
        // The points themselves are the record; the audit event says how many and which keys.
        after: {
          points: points.length,
          keys,
          latestMetrics: Object.fromEntries(keys.map((key) => [key, after.latestMetrics[key]])),
        },
      });
      return { accepted: points.length, run: after };
    });
  }
}
