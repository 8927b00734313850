import type { Database } from "../db/database.js";
import type { Transaction } from "../db/transaction.js";

/** The few reads and writes of model versions and runs that training needs beyond their own families. */
export class TrainingRepository {
  constructor(private readonly db: Database) {}

  /** The baseline statistics of a model version: null when none are stored, undefined when there is no such version. */
  async baselineStatsForUpdate(tx: Transaction, modelVersionId: string): Promise<unknown> {
    const rows = await tx.$queryRaw<Array<{ baseline_stats: unknown }>>`
      SELECT baseline_stats FROM model_version WHERE id = ${modelVersionId}::uuid FOR UPDATE`;
    return rows.length === 0 ? undefined : (rows[0]!.baseline_stats ?? null);
  }

  async setBaselineStats(tx: Transaction, modelVersionId: string, stats: Record<string, unknown>): Promise<void> {
    await tx.modelVersion.update({ where: { id: modelVersionId }, data: { baselineStats: stats as object } });
  }

  /** Row key of the model version a run produced (its source run), if any. */
  async modelVersionIdProducedBy(runId: string): Promise<string | null> {
    const row = await this.db.prisma.modelVersion.findFirst({
      where: { sourceRunId: runId },
      select: { id: true },
      orderBy: { createdAt: "asc" },
    });
    return row?.id ?? null;
  }
}
