import type { Database } from "../db/database.js";
import type { Transaction } from "../db/transaction.js";
import { type TrafficShareRecord, parseTrafficSplit } from "./traffic-split.js";

export type RolloutState = "CANARY" | "PROMOTED" | "ROLLED_BACK" | "ABORTED";

/** The canary's health as one check saw it (JSON column `last_stats`). */
export interface CanaryStats {
  requests: number;
  errors: number;
  errorRate: number;
  p50Ms: number | null;
  p99Ms: number | null;
}

export interface RolloutThresholds {
  /** Fraction, e.g. 0.01 for 1%. */
  maxErrorRate: number;
  maxP99Ms: number;
  /** Requests the canary must have served over the window to be promoted. */
  minRequests: number;
}

export interface RolloutRecord extends RolloutThresholds {
  id: string;
  deploymentId: string;
  state: RolloutState;
  canaryModelVersionId: string;
  baselineModelVersionId: string | null;
  baselineSplit: TrafficShareRecord[];
  canaryPercent: number;
  windowSeconds: number;
  startRevision: number;
  endRevision: number | null;
  reason: string | null;
  lastStats: CanaryStats | null;
  lastCheckedAt: Date | null;
  checkJobId: string | null;
  actor: string;
  startedAt: Date;
  endedAt: Date | null;
}

export type NewRollout = Pick<
  RolloutRecord,
  | "id"
  | "deploymentId"
  | "canaryModelVersionId"
  | "baselineModelVersionId"
  | "baselineSplit"
  | "canaryPercent"
  | "windowSeconds"
  | "maxErrorRate"
  | "maxP99Ms"
  | "minRequests"
  | "startRevision"
  | "actor"
  | "startedAt"
>;

interface RolloutRow extends Omit<RolloutRecord, "baselineSplit" | "lastStats"> {
  baselineSplit: unknown;
  lastStats: unknown;
}

function toRollout(row: RolloutRow): RolloutRecord {
  return {
    ...row,
    baselineSplit: parseTrafficSplit(row.baselineSplit),
    lastStats: (row.lastStats as CanaryStats | null) ?? null,
  };
}

/** Canary rollouts of deployments; the deployment row's lock serializes their changes. */
export class RolloutRepository {
  constructor(private readonly db: Database) {}

  async create(tx: Transaction, data: NewRollout): Promise<RolloutRecord> {
    const row = await tx.rollout.create({
      data: { ...data, baselineSplit: data.baselineSplit.map((share) => ({ ...share })) },
    });
    return toRollout(row);
  }

  /** The rollout in progress (CANARY) of a deployment, if any. */
  async active(tx: Transaction, deploymentId: string): Promise<RolloutRecord | null> {
    const row = await tx.rollout.findFirst({ where: { deploymentId, state: "CANARY" }, orderBy: { startedAt: "desc" } });
    return row ? toRollout(row) : null;
  }

  async findById(tx: Transaction | undefined, id: string): Promise<RolloutRecord | null> {
    const row = await (tx ?? this.db.prisma).rollout.findUnique({ where: { id } });
    return row ? toRollout(row) : null;
  }

  async finish(
    tx: Transaction,
    id: string,
    data: { state: Exclude<RolloutState, "CANARY">; endRevision: number | null; reason: string; endedAt: Date },
  ): Promise<RolloutRecord> {
    const row = await tx.rollout.update({ where: { id }, data });
    return toRollout(row);
  }

  /** Stores what a health check saw (monitoring data, not a change of the record: no audit). */
  async recordCheck(id: string, stats: CanaryStats, at: Date): Promise<void> {
    await this.db.prisma.rollout.updateMany({
      where: { id, state: "CANARY" },
      data: { lastStats: { ...stats }, lastCheckedAt: at },
    });
  }

  /** Compare-and-set of the check job of a rollout in progress; false when another job holds it. */
  async moveCheckJob(id: string, fromJobId: string | null, toJobId: string): Promise<boolean> {
    const { count } = await this.db.prisma.rollout.updateMany({
      where: { id, state: "CANARY", checkJobId: fromJobId },
      data: { checkJobId: toJobId },
    });
    return count === 1;
  }

  /** Every rollout of the deployments, newest first within each (for DataLoaders and lists). */
  async findByDeploymentIds(deploymentIds: readonly string[]): Promise<RolloutRecord[]> {
    const rows = await this.db.prisma.rollout.findMany({
      where: { deploymentId: { in: [...deploymentIds] } },
      orderBy: [{ deploymentId: "asc" }, { startedAt: "desc" }],
    });
    return rows.map(toRollout);
  }

  async findByIds(ids: readonly string[]): Promise<RolloutRecord[]> {
    const rows = await this.db.prisma.rollout.findMany({ where: { id: { in: [...ids] } } });
    return rows.map(toRollout);
  }
}
