import type { Logger } from "../lib/logger.js";
import { JobDispatcher } from "./job-dispatcher.js";
import { type QueueConnection, type QueueStoreSettings, openQueueConnection } from "./queue-connection.js";
import type { QueueJobRepository, QueueJobRow } from "./queue-job.repository.js";
import type { QueueName } from "./queue-names.js";
import type { DispatchOptions } from "./job-dispatcher.js";
import { QueueUnavailableError } from "./queue.errors.js";

/**
 * The process's queue store, opened on first use: an API that never queues work (or a test) does not
 * pay for BullMQ's connection and migrations at start-up.
 */
export class QueueRuntime {
  private opening: Promise<QueueConnection> | undefined;

  constructor(
    private readonly settings: QueueStoreSettings,
    private readonly jobs: QueueJobRepository,
    private readonly logger: Logger,
  ) {}

  connection(): Promise<QueueConnection> {
    this.opening ??= openQueueConnection(this.settings).catch((error: unknown) => {
      this.opening = undefined;
      throw error;
    });
    return this.opening;
  }

  /** Queues work and returns its job record (see JobDispatcher). */
  async dispatch(
    queue: QueueName,
    name: string,
    payload: Record<string, unknown>,
    options?: DispatchOptions,
  ): Promise<QueueJobRow> {
    let connection: QueueConnection;
    try {
      connection = await this.connection();
    } catch (error) {
      this.logger.warn({ err: error, queue }, "the queue store cannot be opened");
      throw new QueueUnavailableError(queue);
    }
    return new JobDispatcher(connection, this.jobs, this.logger).dispatch(queue, name, payload, options);
  }

  async close(): Promise<void> {
    const connection = await this.opening?.catch(() => undefined);
    this.opening = undefined;
    await connection?.close();
  }
}
