import { readFileSync } from "node:fs";
import type { Database } from "../db/database.js";
import type { Transaction } from "../db/transaction.js";

const INSERT_METRIC_POINTS = readFileSync(new URL("./queries/insert-metric-points.sql", import.meta.url), "utf8");
const METRIC_SERIES = readFileSync(new URL("./queries/metric-series.sql", import.meta.url), "utf8");

export interface MetricPoint {
  key: string;
  value: number;
  step: number;
  timestamp: Date;
}

export interface RunMetricPoint extends MetricPoint {
  runId: string;
}

/** Metric time series: written in batches by logMetrics, read per run. Raw SQL: this is a hot path. */
export class MetricPointRepository {
  constructor(private readonly db: Database) {}

  async insertBatch(tx: Transaction, runId: string, points: MetricPoint[]): Promise<void> {
    await tx.$executeRawUnsafe(
      INSERT_METRIC_POINTS,
      runId,
      points.map((point) => point.key),
      points.map((point) => point.value),
      points.map((point) => point.step),
      points.map((point) => point.timestamp),
    );
  }

  async seriesOf(runIds: readonly string[], keys: readonly string[], maxPointsPerKey: number): Promise<RunMetricPoint[]> {
    const { rows } = await this.db.pool.query<RunMetricPoint>(METRIC_SERIES, [[...runIds], [...keys], maxPointsPerKey]);
    return rows;
  }
}
