import { UnrecoverableError } from "bullmq";
import { type EventBus, publishSafely } from "../server/events/event-bus.js";
import { type JobProgressEvent, jobProgressTopic } from "../server/events/topics.js";
import type { Logger } from "../server/lib/logger.js";
import type { JobWorker, QueueConnection, QueueJob } from "../server/queue/queue-connection.js";
import type { QueueJobRepository, QueueJobRow } from "../server/queue/queue-job.repository.js";
import type { QueueName } from "../server/queue/queue-names.js";

/** What a processor gets besides its payload. */
export interface JobContext {
  /** Id of the job record (also the BullMQ job id, except for a job scheduler's jobs). */
  jobId: string;
  /** 1 for the first attempt. */
  attempt: number;
  /**
   * When the job was due: added, plus its delay. A job scheduler's tick is due at its own instant
   * however late a busy worker picks it up, so work derived from it (a monitoring window) is too.
   */
  dueAt: Date;
  /** Reports progress to BullMQ and to the job record (0–100, with a short message). */
  reportProgress(percent: number, message: string): Promise<void>;
  /**
   * Publishes a live event (see server/events/topics.ts) once the write it reports has committed.
   * A failure is logged, never thrown: a lost live event must not fail the job.
   */
  publish?(topic: string, payload: unknown): Promise<void>;
}

/** One kind of work: a job name on a queue, and the code that does it. Must be idempotent. */
export interface JobHandler {
  queue: QueueName;
  name: string;
  run(payload: Record<string, unknown>, context: JobContext): Promise<unknown>;
}

/** A handler's failure that retrying cannot fix (bad input): the job fails at once. */
export class PermanentJobError extends UnrecoverableError {}

export interface WorkerHostOptions {
  /** Jobs run at once per queue. @defaultValue 2 */
  concurrency?: number;
  /** Where every change of a job record is published (jobProgressTopic); none when unset. */
  events?: EventBus;
}

/**
 * Runs BullMQ workers for the queues that have handlers, and mirrors every job into its Postgres
 * job record: ACTIVE with the attempt number, progress as reported, COMPLETED with the result, or
 * FAILED with the error once no attempt is left (WAITING in between, for the retry). Stalled jobs
 * (a worker died) are picked up again by BullMQ; handlers must be idempotent for that reason.
 * Jobs added by a job scheduler get their record on first sight (see `recordOf`). Each change of
 * the record, once written, is published as a JobProgressEvent.
 */
export class WorkerHost {
  private readonly workers: JobWorker[] = [];

  constructor(
    private readonly connection: QueueConnection,
    private readonly jobs: QueueJobRepository,
    private readonly handlers: readonly JobHandler[],
    private readonly logger: Logger,
    private readonly options: WorkerHostOptions = {},
  ) {}

  start(): void {
    const queues = [...new Set(this.handlers.map((handler) => handler.queue))];
    for (const queue of queues) {
      const byName = new Map(this.handlers.filter((h) => h.queue === queue).map((h) => [h.name, h]));
      const worker = this.connection.worker(queue, (job) => this.process(queue, byName, job), {
        concurrency: this.options.concurrency ?? 2,
        // A job whose worker stops renewing its lock (crash) is re-queued; twice, then it fails.
        maxStalledCount: 2,
      });
      worker.onFailed((job, error) => {
        this.logger.warn({ queue, job: job?.name, jobId: job?.id, err: error }, "job attempt failed");
      });
      this.workers.push(worker);
    }
    this.logger.info({ queues, store: this.connection.kind }, "workers started");
  }

  /** Stops taking jobs and waits for those running to finish. */
  async close(): Promise<void> {
    await Promise.allSettled(this.workers.map((worker) => worker.close()));
    this.workers.length = 0;
  }

  private async process(queue: QueueName, handlers: Map<string, JobHandler>, job: QueueJob): Promise<unknown> {
    const { jobRecordId, ...payload } = job.data as Record<string, unknown>;
    const jobId = typeof jobRecordId === "string" ? jobRecordId : await this.recordOf(queue, job, payload);
    const attempt = job.attemptsMade + 1;
    const handler = handlers.get(job.name);
    if (!handler) {
      await this.jobs
        .fail(jobId, `No worker handles "${job.name}" jobs on the ${queue} queue.`, true)
        .then((row) => this.published(row))
        .catch(() => undefined);
      throw new UnrecoverableError(`no handler for ${queue}/${job.name}`);
    }
    await this.published(await this.jobs.markActive(jobId, attempt));
    const context: JobContext = {
      jobId,
      attempt,
      dueAt: new Date(job.timestamp + (job.opts.delay ?? 0)),
      reportProgress: async (percent, message) => {
        const bounded = Math.max(0, Math.min(100, Math.round(percent)));
        await job.updateProgress(bounded);
        await this.published(await this.jobs.reportProgress(jobId, bounded, message));
      },
      publish: async (topic, event) => {
        if (this.options.events) await publishSafely(this.options.events, this.logger, topic, event);
      },
    };
    try {
      const result = await handler.run(payload, context);
      await this.published(await this.jobs.complete(jobId, result));
      return result;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const final = error instanceof UnrecoverableError || attempt >= (job.opts.attempts ?? 1);
      await this.jobs
        .fail(jobId, message, final)
        .then((row) => this.published(row))
        .catch(() => undefined);
      throw error;
    }
  }

  /**
   * The record of a job nobody dispatched (a job scheduler's tick, id `repeat:<scheduler>:<millis>`):
   * created on first sight under the BullMQ job id, so a retry or a stalled job finds it again.
   */
  private async recordOf(queue: QueueName, job: QueueJob, payload: Record<string, unknown>): Promise<string> {
    const row = await this.jobs.ensureExternal({
      queue,
      name: job.name,
      externalId: queueJobExternalId(queue, String(job.id)),
      payload,
    });
    return row.id;
  }

  /** Publishes the job record as written (the repository's update returns the row); never throws. */
  private async published(written: unknown): Promise<void> {
    const events = this.options.events;
    if (!events || !isJobRow(written)) return;
    const event: JobProgressEvent = {
      jobId: written.id,
      queue: written.queue,
      name: written.name,
      status: written.status,
      progress: written.progress,
      message: written.message,
      error: written.error,
      attempt: written.attempts,
      at: written.updatedAt.toISOString(),
    };
    await publishSafely(events, this.logger, jobProgressTopic(written.id), event);
  }
}

/** job_record.external_id of a job the queue store added by itself. */
export function queueJobExternalId(queue: string, bullJobId: string): string {
  return `bullmq:${queue}:${bullJobId}`;
}

function isJobRow(value: unknown): value is QueueJobRow {
  const row = value as Partial<QueueJobRow> | null;
  return typeof row?.id === "string" && typeof row.status === "string" && row.updatedAt instanceof Date;
}
