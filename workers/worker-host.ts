import { UnrecoverableError } from "bullmq";
import type { Logger } from "../server/lib/logger.js";
import type { JobWorker, QueueConnection, QueueJob } from "../server/queue/queue-connection.js";
import type { QueueJobRepository } from "../server/queue/queue-job.repository.js";
import type { QueueName } from "../server/queue/queue-names.js";

/** What a processor gets besides its payload. */
export interface JobContext {
  /** Id of the job record (also the BullMQ job id). */
  jobId: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** Reports progress to BullMQ and to the job record (0–100, with a short message). */
  reportProgress(percent: number, message: string): Promise<void>;
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
}

/**
 * Runs BullMQ workers for the queues that have handlers, and mirrors every job into its Postgres
 * job record: ACTIVE with the attempt number, progress as reported, COMPLETED with the result, or
 * FAILED with the error once no attempt is left (WAITING in between, for the retry). Stalled jobs
 * (a worker died) are picked up again by BullMQ; handlers must be idempotent for that reason.
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
    const jobId = String(job.id);
    const attempt = job.attemptsMade + 1;
    const handler = handlers.get(job.name);
    if (!handler) {
      await this.jobs.fail(jobId, `No worker handles "${job.name}" jobs on the ${queue} queue.`, true).catch(() => undefined);
      throw new UnrecoverableError(`no handler for ${queue}/${job.name}`);
    }
    await this.jobs.markActive(jobId, attempt);
    const context: JobContext = {
      jobId,
      attempt,
      reportProgress: async (percent, message) => {
        const bounded = Math.max(0, Math.min(100, Math.round(percent)));
        await job.updateProgress(bounded);
        await this.jobs.reportProgress(jobId, bounded, message);
      },
    };
    const { jobRecordId: _recordId, ...payload } = job.data as Record<string, unknown>;
    try {
      const result = await handler.run(payload, context);
      await this.jobs.complete(jobId, result);
      return result;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const final = error instanceof UnrecoverableError || attempt >= (job.opts.attempts ?? 1);
      await this.jobs.fail(jobId, message, final).catch(() => undefined);
      throw error;
    }
  }
}
