import type { Database } from "../../db/database.js";
import type { Transaction } from "../../db/transaction.js";
import type { LabeledPrediction } from "./performance.js";

/** The keys of a logged prediction that ground truth copies. */
export interface LoggedPredictionKey {
  id: string;
  deploymentId: string;
  modelVersionId: string;
  requestedAt: Date;
}

export interface NewGroundTruth {
  predictionId: string;
  deploymentId: string;
  modelVersionId: string;
  predictedAt: Date;
  label: string | null;
  value: number | null;
  recordedBy: string;
}

/**
 * Ground truth of served predictions. Reads SERVING's prediction_log table (columns as issue 4's
 * interface fixes them) by id and joins it for the window's outputs.
 */
export class GroundTruthRepository {
  constructor(private readonly db: Database) {}

  /** The logged predictions among `ids` (unknown ids are simply absent). */
  predictionsByIds(tx: Transaction, ids: readonly string[]): Promise<LoggedPredictionKey[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return tx.$queryRawUnsafe<LoggedPredictionKey[]>(
      `SELECT id::text AS "id", deployment_id::text AS "deploymentId", model_version_id::text AS "modelVersionId",
              requested_at AS "requestedAt"
         FROM "prediction_log" WHERE id = ANY($1::uuid[])`,
      [...new Set(ids)],
    );
  }

  /** Stores (or corrects) the outcome of each prediction; returns how many rows existed before. */
  async upsertMany(tx: Transaction, rows: readonly NewGroundTruth[]): Promise<number> {
    const existing = await tx.groundTruth.count({ where: { predictionId: { in: rows.map((row) => row.predictionId) } } });
    for (const row of rows) {
      await tx.groundTruth.upsert({
        where: { predictionId: row.predictionId },
        create: row,
        update: { label: row.label, value: row.value, recordedBy: row.recordedBy, recordedAt: new Date() },
      });
    }
    return existing;
  }

  /** Predictions of a model version on a deployment made in [from, to) that have ground truth. */
  labeledInWindow(
    deploymentId: string,
    modelVersionId: string,
    from: Date,
    to: Date,
    limit: number,
  ): Promise<LabeledPrediction[]> {
    return this.db.prisma.$queryRawUnsafe<LabeledPrediction[]>(
      `SELECT p.outputs AS "outputs", g.label AS "label", g.value AS "value"
         FROM "ground_truth" g JOIN "prediction_log" p ON p.id = g.prediction_id
        WHERE g.deployment_id = $1::uuid AND g.model_version_id = $2::uuid
          AND g.predicted_at >= $3 AND g.predicted_at < $4
        ORDER BY g.predicted_at DESC LIMIT $5`,
      deploymentId,
      modelVersionId,
      from,
      to,
      limit,
    );
  }
}
