import type { Database } from "../db/database.js";
import type { Transaction } from "../db/transaction.js";
import type { PageQuery } from "../lib/paginate.js";
import { type VisibleNamespaceIds, seesNoNamespace } from "../lib/visible-namespaces.js";
import type { FeatureDriftEntry } from "./drift/index.js";
import type { ServingFigures } from "./alerts/rule-evaluation.js";
import type { PerformanceSummary } from "./ground-truth/performance.js";

/** The feature_scores document: every input feature's drift entry and the columns not compared. */
export interface FeatureScores {
  features: FeatureDriftEntry[];
  missingColumns: string[];
  ignoredColumns: string[];
  /** Thresholds the verdicts used (the data-drift and prediction-drift rules' PSI). */
  thresholds: { dataDriftPsi: number; predictionDriftPsi: number };
  /** Why nothing was compared, when nothing was (e.g. the model version has no baseline). */
  skipped: string | null;
}

export interface DriftReportRecord {
  id: string;
  deploymentId: string;
  modelVersionId: string;
  windowStart: Date;
  windowEnd: Date;
  featureScores: FeatureScores;
  jobId: string | null;
  sampleCount: number;
  driftedFeatures: string[];
  predictionDrift: FeatureDriftEntry | null;
  serving: ServingFigures | null;
  performance: PerformanceSummary | null;
  createdAt: Date;
}

export type NewDriftReport = Omit<DriftReportRecord, "id" | "createdAt">;

const toReport = (row: unknown) => row as DriftReportRecord;

function reportsOf(deploymentId: string, visibleNamespaceIds: VisibleNamespaceIds) {
  return {
    deploymentId,
    ...(visibleNamespaceIds ? { deployment: { is: { namespaceId: { in: [...visibleNamespaceIds] } } } } : {}),
  };
}

export class DriftReportRepository {
  constructor(private readonly db: Database) {}

  async create(tx: Transaction, data: NewDriftReport): Promise<DriftReportRecord> {
    const row = await tx.driftReport.create({
      data: {
        ...data,
        featureScores: data.featureScores as object,
        predictionDrift: (data.predictionDrift ?? undefined) as object | undefined,
        serving: (data.serving ?? undefined) as object | undefined,
        performance: (data.performance ?? undefined) as object | undefined,
      },
    });
    return toReport(row);
  }

  /** Reports a job already wrote (a retried job finds them again). */
  async findByJob(tx: Transaction, jobId: string): Promise<DriftReportRecord[]> {
    const rows = await tx.driftReport.findMany({ where: { jobId }, orderBy: { modelVersionId: "asc" } });
    return rows.map(toReport);
  }

  async findByIds(ids: readonly string[]): Promise<DriftReportRecord[]> {
    const rows = await this.db.prisma.driftReport.findMany({ where: { id: { in: [...ids] } } });
    return rows.map(toReport);
  }

  /** `visibleNamespaceIds`: only when the deployment is in one of them (the caller's readable ones). */
  async listByDeployment(
    deploymentId: string,
    query: PageQuery,
    visibleNamespaceIds?: VisibleNamespaceIds,
  ): Promise<DriftReportRecord[]> {
    if (seesNoNamespace(visibleNamespaceIds)) return [];
    const rows = await this.db.prisma.driftReport.findMany({
      where: {
        AND: [reportsOf(deploymentId, visibleNamespaceIds), ...(query.afterWhere ? [query.afterWhere] : [])],
      } as never,
      orderBy: query.orderBy as never,
      take: query.take,
    });
    return rows.map(toReport);
  }

  /** Model versions with predictions of the deployment logged in [from, to) (SERVING's prediction_log). */
  async loggedModelVersions(deploymentId: string, from: Date, to: Date): Promise<string[]> {
    const rows = await this.db.prisma.$queryRawUnsafe<Array<{ id: string }>>(
      `SELECT DISTINCT model_version_id::text AS id FROM "prediction_log"
        WHERE deployment_id = $1::uuid AND requested_at >= $2 AND requested_at < $3`,
      deploymentId,
      from,
      to,
    );
    return rows.map((row) => row.id);
  }

  async countByDeployment(deploymentId: string, visibleNamespaceIds?: VisibleNamespaceIds): Promise<number> {
    if (seesNoNamespace(visibleNamespaceIds)) return 0;
    return this.db.prisma.driftReport.count({ where: reportsOf(deploymentId, visibleNamespaceIds) });
  }
}
