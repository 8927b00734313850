import { readFileSync } from "node:fs";
import type { Database } from "../db/database.js";

const INSERT_PREDICTION_LOG = readFileSync(new URL("./queries/insert-prediction-log.sql", import.meta.url), "utf8");
const PREDICTION_LOG_WINDOW = readFileSync(new URL("./queries/prediction-log-window.sql", import.meta.url), "utf8");

/** Rows per INSERT statement (8 array parameters each; keeps one statement well under a few MB). */
const ROWS_PER_STATEMENT = 1_000;

/** One logged prediction: one input row and what the model answered. */
export interface PredictionLogRow {
  /** The predictionId returned to the caller. */
  id: string;
  deploymentId: string;
  modelVersionId: string;
  requestedAt: Date;
  /** { feature: value } */
  inputs: Record<string, unknown>;
  /** The model's outputs for the row; {} when `error` is set. */
  outputs: Record<string, unknown>;
  latencyMs: number;
  error: string | null;
}

export interface PredictionLogWindow {
  /** Only this model version's predictions. */
  modelVersionId?: string | undefined;
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
  /** Most rows returned (the newest). */
  limit: number;
}

/** The sampled prediction log. Raw SQL: it is written in large batches and read by drift jobs. */
export class PredictionLogRepository {
  constructor(private readonly db: Database) {}

  /** Inserts the rows (a row whose id is already logged is skipped, so a retried batch is harmless). */
  async append(rows: readonly PredictionLogRow[]): Promise<void> {
    for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
      const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
      await this.db.pool.query(INSERT_PREDICTION_LOG, [
        chunk.map((row) => row.id),
        chunk.map((row) => row.deploymentId),
        chunk.map((row) => row.modelVersionId),
        chunk.map((row) => row.requestedAt),
        chunk.map((row) => JSON.stringify(row.inputs)),
        chunk.map((row) => JSON.stringify(row.outputs)),
        chunk.map((row) => row.latencyMs),
        chunk.map((row) => row.error),
      ]);
    }
  }

  /** Logged predictions of a deployment with `from ≤ requestedAt < to`, newest first, at most `limit`. */
  async listWindow(deploymentId: string, window: PredictionLogWindow): Promise<PredictionLogRow[]> {
    const { rows } = await this.db.pool.query<PredictionLogRow>(PREDICTION_LOG_WINDOW, [
      deploymentId,
      window.modelVersionId ?? null,
      window.from,
      window.to,
      window.limit,
    ]);
    return rows;
  }
}
