import { join } from "node:path";
import { type Job, type JobsOptions, Queue, Worker, type WorkerOptions, createPostgresBackend } from "bullmq";
import { Redis } from "ioredis";
import { type EmbeddedPostgres, startEmbeddedPostgres } from "../db/embedded-postgres.js";
import type { QueueName } from "./queue-names.js";

/** Where BullMQ keeps its queues: Redis, a Postgres server, or (embedded) a PGlite of its own. */
export type QueueStoreKind = "redis" | "postgres" | "embedded";

export interface QueueStoreSettings {
  /** Redis URL; wins when set. */
  redisUrl: string | undefined;
  /** Postgres server of the record; BullMQ's PostgreSQL backend keeps its tables in schema `bullmq` there. */
  databaseUrl: string | undefined;
  /** Embedded mode: the queue database lives in `<dataDir>/queue` (in memory when undefined). */
  dataDir: string | undefined;
}

/** The part of a BullMQ job a processor uses, whichever backend carries it. */
export type QueueJob = Pick<Job, "id" | "name" | "data" | "attemptsMade" | "opts" | "updateProgress">;
export type JobProcessor = (job: QueueJob) => Promise<unknown>;

/** What Pedigree does with a queue: add jobs to it. */
export interface JobQueue {
  /** Resolves once the queue store answers (on Postgres, after BullMQ has migrated its schema). */
  ready(): Promise<void>;
  add(jobName: string, data: Record<string, unknown>, options: JobsOptions & { jobId: string }): Promise<void>;
}

/** A running BullMQ worker, seen through the events the job mirror needs. */
export interface JobWorker {
  onFailed(listener: (job: QueueJob | undefined, error: Error) => void): void;
  close(): Promise<void>;
}

/** Opens queues and workers on one queue store; the only code that knows which store it is. */
export interface QueueConnection {
  readonly kind: QueueStoreKind;
  queue(name: QueueName): JobQueue;
  worker(name: QueueName, processor: JobProcessor, options: Omit<WorkerOptions, "connection">): JobWorker;
  close(): Promise<void>;
}

/** Keys of all queues share one prefix so that a Redis shared with other apps stays tidy. */
const PREFIX = "pedigree";

/**
 * Opens the queue store the settings name. Embedded mode runs BullMQ's PostgreSQL backend on a
 * second PGlite (not the record's): BullMQ's tables (`job`, `event`, …) would otherwise share a
 * session search_path with Pedigree's own `job` table, since PGlite has one session.
 */
export async function openQueueConnection(settings: QueueStoreSettings): Promise<QueueConnection> {
  if (settings.redisUrl) return redisConnection(settings.redisUrl);
  if (settings.databaseUrl) return postgresConnection("postgres", settings.databaseUrl, undefined);
  const embedded = await startEmbeddedPostgres(settings.dataDir ? join(settings.dataDir, "queue") : undefined, {
    // pglite-socket ignores the startup `options` BullMQ uses to pin its schema: pin it here.
    prepare: async (db) => {
      await db.exec("CREATE SCHEMA IF NOT EXISTS bullmq; SET search_path TO bullmq, public;");
    },
  });
  return postgresConnection("embedded", embedded.url, embedded);
}

/** One Queue object (and, on Postgres, one pool) per queue name for the life of the connection. */
function memoized(open: (name: QueueName) => JobQueue): (name: QueueName) => JobQueue {
  const queues = new Map<QueueName, JobQueue>();
  return (name) => {
    let queue = queues.get(name);
    if (!queue) {
      queue = open(name);
      queues.set(name, queue);
    }
    return queue;
  };
}

interface Closable {
  close(): Promise<void>;
}

function adaptQueue(queue: {
  waitUntilReady(): Promise<void>;
  add(name: string, data: unknown, opts?: JobsOptions): Promise<unknown>;
  on(event: "error", listener: (error: Error) => void): unknown;
}): JobQueue {
  // Connection errors surface as a failed add (see JobDispatcher); without a listener they would be printed.
  queue.on("error", () => undefined);
  return {
    ready: () => queue.waitUntilReady(),
    async add(jobName, data, options) {
      await queue.add(jobName, data, options);
    },
  };
}

function adaptWorker(
  worker: Closable & {
    on(event: "failed", listener: (job: QueueJob | undefined, error: Error) => void): unknown;
    on(event: "error", listener: (error: Error) => void): unknown;
  },
): JobWorker {
  // Connection errors (the store restarting, or closing under the worker at shutdown) are retried
  // by BullMQ itself; without a listener they would be printed as unhandled.
  worker.on("error", () => undefined);
  return {
    onFailed(listener) {
      worker.on("failed", listener);
    },
    close: () => worker.close(),
  };
}

function redisConnection(url: string): QueueConnection {
  const open: Closable[] = [];
  // Queues fail fast while Redis is down (the API must say so, not hang); workers wait for it.
  const queueClient = new Redis(url, { maxRetriesPerRequest: null, enableOfflineQueue: false });
  queueClient.on("error", () => undefined);
  return {
    kind: "redis",
    queue: memoized((name) => {
      const queue = new Queue(name, { connection: queueClient, prefix: PREFIX });
      open.push(queue);
      return adaptQueue(queue);
    }),
    worker(name, processor, options) {
      const client = new Redis(url, { maxRetriesPerRequest: null });
      client.on("error", () => undefined);
      const worker = new Worker(name, processor, { ...options, connection: client, prefix: PREFIX });
      open.push({
        async close() {
          await worker.close();
          client.disconnect();
        },
      });
      return adaptWorker(worker);
    },
    async close() {
      await Promise.allSettled(open.map((item) => item.close()));
      queueClient.disconnect();
    },
  };
}

function postgresConnection(kind: "postgres" | "embedded", url: string, embedded: EmbeddedPostgres | undefined): QueueConnection {
  const open: Closable[] = [];
  const connection = { connectionString: url, migrate: true, schema: "bullmq", max: kind === "embedded" ? 4 : 10 };
  return {
    kind,
    queue: memoized((name) => {
      const queue = new Queue(name, { connection, prefix: PREFIX }, createPostgresBackend);
      open.push(queue);
      return adaptQueue(queue);
    }),
    worker(name, processor, options) {
      // PGlite's socket does not deliver NOTIFY, so an idle embedded worker polls: every second, not BullMQ's 5 s.
      const drainDelay = kind === "embedded" ? 1 : undefined;
      const worker = new Worker(
        name,
        processor,
        { ...options, ...(drainDelay ? { drainDelay } : {}), connection, prefix: PREFIX },
        createPostgresBackend,
      );
      open.push(worker);
      return adaptWorker(worker);
    },
    async close() {
      await Promise.allSettled(open.map((item) => item.close()));
      await embedded?.close();
    },
  };
}
