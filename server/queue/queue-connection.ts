import { join } from "node:path";
import {
  type FlowJob,
  FlowProducer,
  type Job,
  type JobProgress,
  type JobSchedulerJson,
  type JobSchedulerTemplateOptions,
  type JobsOptions,
  type PostgresConnectionOptions,
  type PostgresQueueBackend,
  Queue,
  Worker,
  type WorkerOptions,
  createPostgresBackend,
} from "bullmq";
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
export type QueueJob = Pick<Job, "id" | "name" | "data" | "attemptsMade" | "timestamp" | "opts" | "updateProgress">;
export type JobProcessor = (job: QueueJob) => Promise<unknown>;

/** What Pedigree does with a queue: add jobs to it. */
export interface JobQueue {
  /** Resolves once the queue store answers (on Postgres, after BullMQ has migrated its schema). */
  ready(): Promise<void>;
  add(jobName: string, data: Record<string, unknown>, options: JobsOptions & { jobId: string }): Promise<void>;
}

/** The job a scheduler adds at every tick: its name, payload and options. */
export interface JobSchedulerTemplate {
  name: string;
  data: Record<string, unknown>;
  opts?: JobSchedulerTemplateOptions;
}

/**
 * BullMQ job schedulers of one queue (the same methods as BullMQ's Queue, on every backend): a
 * scheduler adds a job every `every` ms, with ids `repeat:<schedulerId>:<millis>`. Upserting an
 * existing id replaces its settings and keeps one pending job, so any number of processes may
 * upsert the same scheduler.
 */
export interface JobSchedulers {
  upsertJobScheduler(
    jobSchedulerId: string,
    repeatOpts: { every: number; startDate?: number },
    jobTemplate: JobSchedulerTemplate,
  ): Promise<unknown>;
  removeJobScheduler(jobSchedulerId: string): Promise<boolean>;
  getJobScheduler(jobSchedulerId: string): Promise<JobSchedulerJson | undefined>;
  /** Schedulers from `start` to `end` (inclusive; -1 = the last), soonest first. */
  getJobSchedulers(start?: number, end?: number, asc?: boolean): Promise<JobSchedulerJson[]>;
}

/** A running BullMQ worker, seen through the events the job mirror needs. */
export interface JobWorker {
  onFailed(listener: (job: QueueJob | undefined, error: Error) => void): void;
  close(): Promise<void>;
}

/** One job of a flow (BullMQ FlowProducer): its children run first, and it waits for them. */
export interface JobFlowNode {
  queue: QueueName;
  name: string;
  data: Record<string, unknown>;
  options: Omit<JobsOptions, "parent" | "repeat"> & { jobId: string };
  children?: JobFlowNode[];
}

/** Opens queues and workers on one queue store; the only code that knows which store it is. */
export interface QueueConnection {
  readonly kind: QueueStoreKind;
  queue(name: QueueName): JobQueue;
  /** The job schedulers of a queue (recurring jobs, e.g. per-deployment monitoring). */
  schedulers(name: QueueName): JobSchedulers;
  /** Adds a flow atomically (all of its jobs or none); a job id that is already there is not added twice. */
  addFlow(flow: JobFlowNode): Promise<void>;
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
  try {
    // PGlite is one session behind a socket that serves one transaction at a time: several queues
    // and workers migrating at once (each under BullMQ's advisory lock) deadlock it, which three
    // worker queues did at every start. So the schema is migrated once, here, before any opens.
    await migrateQueueSchema(embedded.url);
  } catch (error) {
    await embedded.close();
    throw error;
  }
  return postgresConnection("embedded", embedded.url, embedded);
}

/** Brings BullMQ's PostgreSQL schema up to date through one short-lived queue. */
async function migrateQueueSchema(url: string): Promise<void> {
  const queue = new Queue(
    "schema-migration",
    { connection: { connectionString: url, migrate: true, schema: "bullmq", max: 1 }, prefix: PREFIX },
    createPostgresBackend,
  );
  try {
    await queue.waitUntilReady();
  } finally {
    await queue.close();
  }
}

/** What Pedigree uses of a BullMQ Queue, on either backend (Redis, or the PostgreSQL backend). */
type AnyQueue = Pick<
  Queue,
  "waitUntilReady" | "add" | "upsertJobScheduler" | "removeJobScheduler" | "getJobScheduler" | "getJobSchedulers"
>;

/** One Queue object (and, on Postgres, one pool) per queue name for the life of the connection. */
function memoized(open: (name: QueueName) => AnyQueue): (name: QueueName) => AnyQueue {
  const queues = new Map<QueueName, AnyQueue>();
  return (name) => {
    let queue = queues.get(name);
    if (!queue) {
      queue = open(name);
      queues.set(name, queue);
    }
    return queue;
  };
}

/** The queue's scheduler methods, each once the queue store answers (a Redis client queues nothing offline). */
function adaptSchedulers(queue: AnyQueue): JobSchedulers {
  return {
    async upsertJobScheduler(id, repeat, template) {
      await queue.waitUntilReady();
      return queue.upsertJobScheduler(id, repeat, template);
    },
    async removeJobScheduler(id) {
      await queue.waitUntilReady();
      return queue.removeJobScheduler(id);
    },
    async getJobScheduler(id) {
      await queue.waitUntilReady();
      return queue.getJobScheduler(id);
    },
    async getJobSchedulers(start, end, asc) {
      await queue.waitUntilReady();
      return queue.getJobSchedulers(start, end, asc);
    },
  };
}

interface Closable {
  close(): Promise<void>;
}

function toFlowJob(node: JobFlowNode): FlowJob {
  return {
    name: node.name,
    queueName: node.queue,
    data: node.data,
    opts: node.options,
    prefix: PREFIX,
    ...(node.children?.length ? { children: node.children.map(toFlowJob) } : {}),
  };
}

interface FlowAdder extends Closable {
  add(flow: FlowJob): Promise<unknown>;
  on(event: "error", listener: (error: Error) => void): unknown;
}

/** One FlowProducer per connection, opened on first use. */
function flowAdder(open: () => FlowAdder, track: (closable: Closable) => void) {
  let producer: FlowAdder | undefined;
  return async (flow: JobFlowNode) => {
    if (!producer) {
      const opened = open();
      opened.on("error", () => undefined);
      track(opened);
      producer = opened;
    }
    await producer.add(toFlowJob(flow));
  };
}

function adaptQueue(queue: AnyQueue): JobQueue {
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
  const queueNamed = memoized((name) => {
    const queue = new Queue(name, { connection: queueClient, prefix: PREFIX });
    // Connection errors surface as a failed call (see JobDispatcher); without a listener they would be printed.
    queue.on("error", () => undefined);
    open.push(queue);
    return queue;
  });
  return {
    kind: "redis",
    queue: (name) => adaptQueue(queueNamed(name)),
    schedulers: (name) => adaptSchedulers(queueNamed(name)),
    addFlow: flowAdder(
      () => new FlowProducer({ connection: queueClient, prefix: PREFIX }),
      (closable) => open.push(closable),
    ),
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

/**
 * A worker that never blocks longer than a second. On Postgres, BullMQ blocks an idle worker until
 * its next delayed job is due (up to an hour: a job scheduler's next tick) and counts on NOTIFY to
 * wake it for new work; PGlite's socket delivers no NOTIFY, so without this cap a job added
 * meanwhile would wait for that tick.
 */
class PollingWorker extends Worker<
  // biome-ignore lint/suspicious/noExplicitAny: BullMQ's own defaults for job data and results.
  any,
  // biome-ignore lint/suspicious/noExplicitAny: as above.
  any,
  string,
  PostgresQueueBackend,
  JobProgress,
  PostgresConnectionOptions
> {
  override get maximumBlockTimeout(): number {
    return 1;
  }
}

function postgresConnection(kind: "postgres" | "embedded", url: string, embedded: EmbeddedPostgres | undefined): QueueConnection {
  const open: Closable[] = [];
  // Embedded: migrated once by openQueueConnection (see there); a server migrates on first use.
  const connection = { connectionString: url, migrate: kind !== "embedded", schema: "bullmq", max: kind === "embedded" ? 4 : 10 };
  const queueNamed = memoized((name) => {
    const queue = new Queue(name, { connection, prefix: PREFIX }, createPostgresBackend);
    queue.on("error", () => undefined);
    open.push(queue);
    return queue;
  });
  return {
    kind,
    queue: (name) => adaptQueue(queueNamed(name)),
    schedulers: (name) => adaptSchedulers(queueNamed(name)),
    addFlow: flowAdder(
      () => new FlowProducer({ connection, prefix: PREFIX }, createPostgresBackend),
      (closable) => open.push(closable),
    ),
    worker(name, processor, options) {
      // PGlite's socket does not deliver NOTIFY, so an idle embedded worker polls: every second, not BullMQ's 5 s.
      const drainDelay = kind === "embedded" ? 1 : undefined;
      const workerOptions = { ...options, ...(drainDelay ? { drainDelay } : {}), connection, prefix: PREFIX };
      const worker =
        kind === "embedded"
          ? new PollingWorker(name, processor, workerOptions, createPostgresBackend)
          : new Worker(name, processor, workerOptions, createPostgresBackend);
      open.push(worker);
      return adaptWorker(worker);
    },
    async close() {
      await Promise.allSettled(open.map((item) => item.close()));
      await embedded?.close();
    },
  };
}
