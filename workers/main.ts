/**
 * `npm run workers`: the worker process, separate from the API (run several to scale out). It needs
 * the shared stores: DATABASE_URL (the record) and REDIS_URL or the Postgres queue store. In the
 * embedded quick start there is no separate process: `npm start` runs the workers itself.
 */
import { loadConfig } from "../server/config.js";
import { openDatabase } from "../server/db/database.js";
import { createEventBus } from "../server/events/event-bus.js";
import { LineageRuntime } from "../server/lineage/lineage-runtime.js";
import { createLogger } from "../server/lib/logger.js";
import { QueueRuntime } from "../server/queue/queue-runtime.js";
import { createRepositories } from "../server/repositories.js";
import { keepMonitorSchedules } from "../server/monitoring/monitor-scheduler.js";
import { createServices } from "../server/services.js";
import { createJobHandlers } from "./job-handlers.js";
import { WorkerHost } from "./worker-host.js";

const config = loadConfig();
const logger = createLogger(config.logLevel).child({ process: "workers" });
if (!config.databaseUrl) {
  console.error(
    "npm run workers needs DATABASE_URL (and REDIS_URL, or BullMQ queues on that Postgres). In the embedded quick start, `npm start` runs the workers itself.",
  );
  process.exit(2);
}

const db = await openDatabase({ url: config.databaseUrl, dataDir: undefined });
const repos = createRepositories(db);
const lineage = new LineageRuntime(db, config, logger);
const queues = new QueueRuntime(
  { redisUrl: config.redisUrl, databaseUrl: config.databaseUrl, dataDir: undefined },
  repos.queueJobs,
  logger,
);
// Progress and alerts reach API instances over Redis pub/sub; without REDIS_URL they stay in this process.
const events = createEventBus({ redisUrl: config.redisUrl }, logger);
const services = createServices(db, repos, lineage, queues, events, undefined, {
  monitorIntervalMs: config.monitorIntervalMs,
});
const connection = await queues.connection();
const host = new WorkerHost(connection, repos.queueJobs, createJobHandlers(services, config), logger, { events });
host.start();
// Every worker process keeps the per-deployment monitoring schedules (idempotent across processes).
const monitorSchedules = keepMonitorSchedules(
  services.monitoring,
  { intervalMs: config.monitorIntervalMs, schedulers: async () => connection.schedulers("monitoring") },
  logger,
);
lineage.start();

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "workers finishing running jobs, then stopping");
    void (async () => {
      await monitorSchedules.stop();
      await host.close();
      await events.close();
      await queues.close();
      await lineage.close();
      await db.close();
      process.exit(0);
    })();
  });
}
