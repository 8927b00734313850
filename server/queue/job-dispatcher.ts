import { within } from "../lib/deadline.js";
import type { Logger } from "../lib/logger.js";
import type { QueueConnection } from "./queue-connection.js";
import type { QueueJobRepository, QueueJobRow } from "./queue-job.repository.js";
import type { QueueName } from "./queue-names.js";
import { QueueUnavailableError } from "./queue.errors.js";

export interface DispatchOptions {
  /** Attempts before the job is FAILED. @defaultValue 3 */
  attempts?: number;
  /** First retry delay; doubles per attempt. @defaultValue 2000 ms */
  backoffMs?: number;
  /** The job waits this long (DELAYED) before a worker may take it. @defaultValue 0 */
  delayMs?: number;
}

/**
 * Puts work on a queue: first the job record (so GraphQL can show the job at once), then the BullMQ
 * job under the record's id, which makes a repeated add of the same record a no-op. When the queue
 * store refuses, the record is removed again and the caller gets a clear SERVICE_UNAVAILABLE.
 */
export class JobDispatcher {
  constructor(
    private readonly connection: QueueConnection,
    private readonly jobs: QueueJobRepository,
    private readonly logger: Logger,
    private readonly addTimeoutMs = 5_000,
  ) {}

  async dispatch(
    queue: QueueName,
    name: string,
    payload: Record<string, unknown>,
    options: DispatchOptions = {},
  ): Promise<QueueJobRow> {
    const delayMs = Math.max(0, Math.round(options.delayMs ?? 0));
    const record = await this.jobs.create({ queue, name, payload, status: delayMs > 0 ? "DELAYED" : "WAITING" });
    try {
      const jobQueue = this.connection.queue(queue);
      // BullMQ's PostgreSQL backend migrates its schema on first use, which can take seconds; Redis
      // is ready at once or down, and then the caller must hear it quickly.
      await within(jobQueue.ready(), this.connection.kind === "redis" ? this.addTimeoutMs : 60_000, `the ${queue} queue`);
      const added = jobQueue.add(
        name,
        { ...payload, jobRecordId: record.id },
        {
          jobId: record.id,
          attempts: options.attempts ?? 3,
          backoff: { type: "exponential", delay: options.backoffMs ?? 2_000 },
          ...(delayMs > 0 ? { delay: delayMs } : {}),
          // Finished jobs live on in job_record; the queue keeps a bounded tail for BullMQ's own tools.
          removeOnComplete: { count: 1_000, age: 24 * 3600 },
          removeOnFail: { count: 5_000, age: 7 * 24 * 3600 },
        },
      );
      // A queue store that is down makes BullMQ wait for it; the caller must hear about it instead.
      await within(added, this.addTimeoutMs, `the ${queue} queue`);
    } catch (error) {
      this.logger.warn({ err: error, queue, job: name }, "could not queue a job");
      await this.jobs.delete(record.id).catch(() => undefined);
      throw new QueueUnavailableError(queue);
    }
    return record;
  }
}
