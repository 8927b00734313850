import type { Database } from "../db/database.js";
import type { Transaction } from "../db/transaction.js";
import type { QueueJobRow } from "../queue/queue-job.repository.js";
import type { SweepGoal, SweepParameter, SweepStrategy, TrialParams } from "./sweep-space.js";

/** One trial of a sweep: its point of the space, its train-model job and, once the sweep ended, its outcome. */
export interface SweepTrialRecord {
  /** 1-based, in the order the trials were planned. */
  index: number;
  params: TrialParams;
  /** Job record (and BullMQ job) id of the trial's train-model job. */
  jobId: string;
  runId?: string | null;
  status?: "COMPLETED" | "FAILED";
  metric?: number | null;
  modelVersionId?: string | null;
  error?: string | null;
}

export interface SweepRecord {
  runId: string;
  jobRecordId: string;
  strategy: SweepStrategy;
  metric: string;
  goal: SweepGoal;
  maxParallel: number;
  space: SweepParameter[];
  trials: SweepTrialRecord[];
  trialCount: number;
  completedTrials: number;
  failedTrials: number;
  bestChildRunId: string | null;
  bestMetric: number | null;
  bestParams: TrialParams | null;
  createdAt: Date;
  finishedAt: Date | null;
}

export interface NewSweep {
  runId: string;
  jobRecordId: string;
  strategy: SweepStrategy;
  metric: string;
  goal: SweepGoal;
  maxParallel: number;
  space: SweepParameter[];
  trials: SweepTrialRecord[];
}

export interface SweepOutcome {
  trials: SweepTrialRecord[];
  completedTrials: number;
  failedTrials: number;
  bestChildRunId: string | null;
  bestMetric: number | null;
  bestParams: TrialParams | null;
}

type SweepRow = Awaited<ReturnType<Database["prisma"]["sweep"]["findUniqueOrThrow"]>>;

function toSweep(row: SweepRow): SweepRecord {
  return {
    ...row,
    strategy: row.strategy as SweepStrategy,
    goal: row.goal as SweepGoal,
    space: row.space as unknown as SweepParameter[],
    trials: row.trials as unknown as SweepTrialRecord[],
    bestParams: (row.bestParams ?? null) as TrialParams | null,
  };
}

/** A job record to create with a known id (the id is the BullMQ job id of the flow). */
export interface NewJobRecord {
  id: string;
  queue: string;
  name: string;
  payload: Record<string, unknown>;
}

/** Sweeps, and the job records of their flows. */
export class SweepRepository {
  constructor(private readonly db: Database) {}

  async create(tx: Transaction, sweep: NewSweep, jobRecords: NewJobRecord[]): Promise<SweepRecord> {
    await tx.jobRecord.createMany({ data: jobRecords.map((record) => ({ ...record, payload: record.payload as object })) });
    const row = await tx.sweep.create({
      data: {
        ...sweep,
        space: sweep.space as unknown as object,
        trials: sweep.trials as unknown as object,
        trialCount: sweep.trials.length,
      },
    });
    return toSweep(row);
  }

  /** Undoes `create` (the flow could not be queued). */
  async delete(tx: Transaction, sweep: SweepRecord): Promise<void> {
    await tx.sweep.delete({ where: { runId: sweep.runId } });
    await tx.jobRecord.deleteMany({ where: { id: { in: [sweep.jobRecordId, ...sweep.trials.map((trial) => trial.jobId)] } } });
  }

  async findByRunId(runId: string): Promise<SweepRecord | null> {
    const row = await this.db.prisma.sweep.findUnique({ where: { runId } });
    return row ? toSweep(row) : null;
  }

  async findByRunIds(runIds: readonly string[]): Promise<SweepRecord[]> {
    const rows = await this.db.prisma.sweep.findMany({ where: { runId: { in: [...runIds] } } });
    return rows.map(toSweep);
  }

  async findForUpdate(tx: Transaction, runId: string): Promise<SweepRecord | null> {
    const locked = await tx.$queryRaw<
      Array<{ run_id: string }>
    >`SELECT run_id::text FROM sweep WHERE run_id = ${runId}::uuid FOR UPDATE`;
    if (locked.length === 0) return null;
    return toSweep(await tx.sweep.findUniqueOrThrow({ where: { runId } }));
  }

  async recordOutcome(tx: Transaction, runId: string, outcome: SweepOutcome): Promise<SweepRecord> {
    const row = await tx.sweep.update({
      where: { runId },
      data: {
        ...outcome,
        trials: outcome.trials as unknown as object,
        bestParams: (outcome.bestParams ?? undefined) as object | undefined,
        finishedAt: new Date(),
      },
    });
    return toSweep(row);
  }

  jobRecords(tx: Transaction, ids: readonly string[]): Promise<QueueJobRow[]> {
    return tx.jobRecord.findMany({ where: { id: { in: [...ids] } } }) as Promise<QueueJobRow[]>;
  }

  /** Row keys of the runs with these external ids (a train-model job's run is `job:<jobId>`). */
  async runIdsByExternalId(tx: Transaction, externalIds: readonly string[]): Promise<Map<string, string>> {
    const rows = await tx.run.findMany({
      where: { externalId: { in: [...externalIds] } },
      select: { id: true, externalId: true },
    });
    return new Map(rows.map((row) => [row.externalId!, row.id]));
  }

  /**
   * Moves the sweep job's progress to the share of its trials whose runs have ended (never back,
   * and below 100 until the sweep job itself completes), in one statement so that trials ending at
   * once cannot overwrite each other's count. Returns the job record, or null when the sweep has
   * already finished.
   */
  async advanceProgress(runId: string): Promise<QueueJobRow | null> {
    const rows = await this.db.prisma.$queryRaw<Array<{ id: string }>>`
      WITH ended AS (
        SELECT count(*) FILTER (WHERE status IN ('COMPLETED', 'FAILED', 'ABORTED'))::int AS done,
               count(*) FILTER (WHERE status IN ('FAILED', 'ABORTED'))::int AS failed
          FROM run WHERE parent_run_id = ${runId}::uuid
      )
      UPDATE job_record j
         SET progress = GREATEST(j.progress, LEAST(99, (100 * ended.done) / s.trial_count)),
             message = ended.done || ' of ' || s.trial_count || ' trials ended'
                       || CASE WHEN ended.failed > 0 THEN ' (' || ended.failed || ' failed)' ELSE '' END,
             status = CASE WHEN j.status = 'WAITING' THEN 'ACTIVE'::"JobStatus" ELSE j.status END,
             updated_at = now()
        FROM sweep s, ended
       WHERE s.run_id = ${runId}::uuid AND j.id = s.job_record_id
         AND j.status NOT IN ('COMPLETED', 'FAILED')
      RETURNING j.id::text AS id`;
    if (rows.length === 0) return null;
    return (await this.db.prisma.jobRecord.findUnique({ where: { id: rows[0]!.id } })) as QueueJobRow | null;
  }
}
