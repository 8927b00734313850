import type { Database } from "../db/database.js";
import { runInTransaction } from "../db/transaction.js";
import { PedigreeError } from "../errors/pedigree-error.js";
import type { Logger } from "../lib/logger.js";
import type { ColumnLineageService } from "../dataset/column-lineage.service.js";
import { prismaSession, withPgTransaction } from "../db/sql-session.js";
import {
  type BatchEntry,
  type BatchOutcome,
  ColumnLineageNeedsPrismaError,
  type OpenLineageBatchApplier,
  sendsColumnLineage,
} from "./openlineage-batch.js";

interface Waiting {
  entry: BatchEntry;
  resolve: (outcome: BatchOutcome) => void;
}

/** An event that failed for a reason the caller cannot fix (logged with its cause). */
class OpenLineageIngestionFailedError extends PedigreeError {
  constructor() {
    super("INTERNAL_SERVER_ERROR", "The event could not be stored; nothing of it was written. Send it again later.");
  }
}

/** The database could not be reached; nothing of the event was written. */
class OpenLineageStoreUnavailableError extends PedigreeError {
  constructor() {
    super("SERVICE_UNAVAILABLE", "The metadata store is unavailable; nothing of the event was written. Send it again later.");
  }
}

/** Errors of the connection itself (refused, reset, server shutting down), not of one batch's content. */
function isConnectionFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string") return false;
  return ["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "57P01", "57P02", "57P03"].includes(code) || code.startsWith("08");
}

/**
 * Group commit for OpenLineage events: while one batch's transaction runs, events of other
 * requests queue up, and the next transaction takes all of them (up to `maxBatchEvents`). One
 * client sending one event at a time pays one transaction per event; many clients share them.
 * A batch that fails as a whole (a lost race, a refused change) is split in halves and retried,
 * down to single events, so one bad event fails alone and the others are written.
 */
export class OpenLineageGroupCommit {
  private readonly waiting: Waiting[] = [];
  private draining = false;

  constructor(
    private readonly db: Database,
    private readonly applier: OpenLineageBatchApplier,
    private readonly columnLineage: ColumnLineageService,
    private readonly logger: Logger,
    private readonly maxBatchEvents: number,
  ) {}

  submit(entries: readonly BatchEntry[]): Promise<BatchOutcome[]> {
    const outcomes = Promise.all(
      entries.map((entry) => new Promise<BatchOutcome>((resolve) => this.waiting.push({ entry, resolve }))),
    );
    if (!this.draining) void this.drain();
    return outcomes;
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.waiting.length > 0) await this.applyIsolating(this.waiting.splice(0, this.maxBatchEvents));
    } finally {
      this.draining = false;
    }
  }

  /**
   * One transaction on a plain pooled connection; a batch with column lineage (whose service
   * works on Prisma) in a Prisma transaction instead.
   */
  private async applyInTransaction(entries: BatchEntry[]): Promise<BatchOutcome[]> {
    const inPrisma = () =>
      runInTransaction(this.db, (tx) =>
        this.applier.apply(prismaSession(tx), entries, (meta, command) => this.columnLineage.registerIn(tx, meta, command)),
      );
    if (entries.some((entry) => sendsColumnLineage(entry.kinded))) return inPrisma();
    try {
      return await withPgTransaction(this.db, (session) => this.applier.apply(session, entries, null));
    } catch (error) {
      // Column lineage merged in from the run's earlier events.
      if (error instanceof ColumnLineageNeedsPrismaError) return inPrisma();
      throw error;
    }
  }

  private async applyIsolating(batch: Waiting[], retried = false): Promise<void> {
    try {
      const outcomes = await this.applyInTransaction(batch.map((waiting) => waiting.entry));
      for (const [index, waiting] of batch.entries()) waiting.resolve(outcomes[index]!);
    } catch (error) {
      if (isConnectionFailure(error)) {
        // Splitting cannot help while the database is away: every event of the batch is answered 503.
        this.logger.error({ err: error }, "OpenLineage batch failed: database unavailable");
        for (const waiting of batch) waiting.resolve({ error: new OpenLineageStoreUnavailableError() });
        return;
      }
      if (batch.length === 1) {
        // Once more when the cause may be passing (a writer that created the same job first).
        if (!(error instanceof PedigreeError) && !retried) return this.applyIsolating(batch, true);
        if (!(error instanceof PedigreeError)) this.logger.error({ err: error }, "OpenLineage event failed");
        batch[0]!.resolve({ error: error instanceof PedigreeError ? error : new OpenLineageIngestionFailedError() });
        return;
      }
      const half = Math.ceil(batch.length / 2);
      await this.applyIsolating(batch.slice(0, half));
      await this.applyIsolating(batch.slice(half));
    }
  }
}
