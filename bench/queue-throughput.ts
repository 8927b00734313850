// BullMQ jobs/s through a no-op processor, on each queue store Pedigree supports (Redis, the Postgres
// server, embedded PGlite), raw BullMQ against Pedigree's worker host (which mirrors every job into
// its job record and reports progress once): the ratio is the cost of the mirror.
import { Queue, Worker, createPostgresBackend } from "bullmq";
import { Redis } from "ioredis";
import { createLogger } from "../server/lib/logger.js";
import { openDatabase } from "../server/db/database.js";
import { QueueRuntime } from "../server/queue/queue-runtime.js";
import { QueueJobRepository } from "../server/queue/queue-job.repository.js";
import type { QueueStoreSettings } from "../server/queue/queue-connection.js";
import { createScratchDatabase } from "../server/testing/test-database.js";
import { WorkerHost } from "../workers/worker-host.js";
import { fmt } from "./lib/stats.js";

const JOBS = Number(process.env.BENCH_QUEUE_JOBS ?? 2_000);
const CONCURRENCY = 8;
const logger = createLogger("silent");
const redisUrl = process.env.PEDIGREE_TEST_REDIS_URL ?? "redis://127.0.0.1:56379";
const postgresUrl = process.env.PEDIGREE_TEST_POSTGRES_URL ?? "postgres://pedigree:pedigree@127.0.0.1:55432/postgres";

async function rawBullmq(kind: string): Promise<number> {
  const name = `raw-${kind}-${Date.now()}`;
  let done = 0;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const processor = async () => {
    done += 1;
    if (done === JOBS) finish();
  };
  let queue: { addBulk(jobs: Array<{ name: string; data: unknown }>): Promise<unknown>; close(): Promise<void> };
  let worker: { close(): Promise<void> };
  const started = performance.now();
  if (kind === "redis") {
    const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
    queue = new Queue(name, { connection });
    worker = new Worker(name, processor, {
      connection: new Redis(redisUrl, { maxRetriesPerRequest: null }),
      concurrency: CONCURRENCY,
    });
  } else {
    const connection = { connectionString: postgresUrl, migrate: true, schema: "bullmq" };
    queue = new Queue(name, { connection }, createPostgresBackend);
    worker = new Worker(name, processor, { connection, concurrency: CONCURRENCY }, createPostgresBackend);
  }
  for (let i = 0; i < JOBS; i += 500) {
    await queue.addBulk(Array.from({ length: Math.min(500, JOBS - i) }, (_, j) => ({ name: "noop", data: { i: i + j } })));
  }
  await finished;
  const seconds = (performance.now() - started) / 1_000;
  await worker.close();
  await queue.close();
  return JOBS / seconds;
}

async function pedigreeHost(settings: QueueStoreSettings, databaseUrl: string | undefined): Promise<number> {
  const db = await openDatabase({ url: databaseUrl, dataDir: undefined });
  const jobs = new QueueJobRepository(db);
  const queues = new QueueRuntime(settings, jobs, logger);
  let done = 0;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const host = new WorkerHost(
    await queues.connection(),
    jobs,
    [
      {
        queue: "monitoring",
        name: "noop",
        async run(_payload, context) {
          await context.reportProgress(100, "done");
          done += 1;
          if (done === JOBS) finish();
          return null;
        },
      },
    ],
    logger,
    { concurrency: CONCURRENCY },
  );
  host.start();
  const started = performance.now();
  for (let i = 0; i < JOBS; i += 1) await queues.dispatch("monitoring", "noop", { i });
  await finished;
  const seconds = (performance.now() - started) / 1_000;
  await host.close();
  await queues.close();
  await db.close();
  return JOBS / seconds;
}

console.log(`BullMQ no-op jobs, ${JOBS} jobs, worker concurrency ${CONCURRENCY}`);
console.log("| queue store | raw BullMQ (addBulk) | Pedigree dispatch + worker host | Pedigree / raw |");
console.log("| ----------- | -------------------- | ------------------------------- | -------------- |");
// Pedigree's own tables go to a scratch database; raw BullMQ uses the server's `postgres` database.
const scratch = await createScratchDatabase();
for (const kind of ["redis", "postgres", "embedded"] as const) {
  const raw = kind === "embedded" ? Number.NaN : await rawBullmq(kind);
  const settings: QueueStoreSettings =
    kind === "redis"
      ? { redisUrl, databaseUrl: undefined, dataDir: undefined }
      : kind === "postgres"
        ? { redisUrl: undefined, databaseUrl: scratch.url, dataDir: undefined }
        : { redisUrl: undefined, databaseUrl: undefined, dataDir: undefined };
  const hosted = await pedigreeHost(settings, kind === "embedded" ? undefined : scratch.url);
  const ratio = Number.isNaN(raw) ? "—" : `${fmt((hosted / raw) * 100, 0)} %`;
  console.log(`| ${kind} | ${Number.isNaN(raw) ? "—" : `${fmt(raw, 0)} jobs/s`} | ${fmt(hosted, 0)} jobs/s | ${ratio} |`);
}
await scratch.drop();
