import type { Database } from "../db/database.js";

export type QueueJobStatus = "WAITING" | "ACTIVE" | "COMPLETED" | "FAILED" | "DELAYED";

/** The Postgres mirror of one BullMQ job (table job_record): what GraphQL shows and streams. */
export interface QueueJobRow {
  id: string;
  queue: string;
  name: string;
  status: QueueJobStatus;
  progress: number;
  message: string | null;
  payload: unknown;
  result: unknown;
  error: string | null;
  attempts: number;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
}

/** Reads and writes job_record; workers update it as a job moves through its life. */
export class QueueJobRepository {
  constructor(private readonly db: Database) {}

  create(data: {
    queue: string;
    name: string;
    payload: Record<string, unknown>;
    status?: "WAITING" | "DELAYED";
  }): Promise<QueueJobRow> {
    return this.db.prisma.jobRecord.create({ data: { ...data, payload: data.payload as object } }) as Promise<QueueJobRow>;
  }

  /**
   * The record of a job the queue store added by itself (a job scheduler's tick), keyed by
   * `externalId`: created on first sight, found again by a retry or after a stall.
   */
  async ensureExternal(data: {
    queue: string;
    name: string;
    externalId: string;
    payload: Record<string, unknown>;
  }): Promise<QueueJobRow> {
    const where = { externalId: data.externalId };
    try {
      return (await this.db.prisma.jobRecord.upsert({
        where,
        create: { ...data, payload: data.payload as object },
        update: {},
      })) as QueueJobRow;
    } catch (error) {
      // Two workers seeing the job at once (a stalled job taken over): the loser reads the winner's row.
      const existing = await this.db.prisma.jobRecord.findUnique({ where });
      if (existing) return existing as QueueJobRow;
      throw error;
    }
  }

  delete(id: string): Promise<unknown> {
    return this.db.prisma.jobRecord.delete({ where: { id } });
  }

  findByIds(ids: readonly string[]): Promise<QueueJobRow[]> {
    return this.db.prisma.jobRecord.findMany({ where: { id: { in: [...ids] } } }) as Promise<QueueJobRow[]>;
  }

  markActive(id: string, attempt: number): Promise<unknown> {
    return this.db.prisma.jobRecord.update({
      where: { id },
      data: { status: "ACTIVE", attempts: attempt, error: null },
    });
  }

  /** Progress only moves forward within an attempt; a retry starts again from its own reports. */
  reportProgress(id: string, percent: number, message: string | null): Promise<unknown> {
    return this.db.prisma.jobRecord.update({ where: { id }, data: { progress: percent, message } });
  }

  complete(id: string, result: unknown): Promise<unknown> {
    return this.db.prisma.jobRecord.update({
      where: { id },
      data: { status: "COMPLETED", progress: 100, result: (result ?? null) as object, finishedAt: new Date() },
    });
  }

  /** A failed attempt: FAILED when no attempt is left, else back to WAITING for the retry. */
  fail(id: string, error: string, final: boolean): Promise<unknown> {
    return this.db.prisma.jobRecord.update({
      where: { id },
      data: final ? { status: "FAILED", error, finishedAt: new Date() } : { status: "WAITING", error },
    });
  }
}
