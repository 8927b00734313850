import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MONITOR_DEPLOYMENT_JOB, monitorSchedulerId } from "../../workers/jobs/monitor-deployment.job.js";
import { type JobHandler, WorkerHost, queueJobExternalId } from "../../workers/worker-host.js";
import { deploymentFixtures, keyOf } from "../deployment/deployment.fixtures.js";
import { encodeNodeId } from "../graphql/node-id.js";
import { createLogger } from "../lib/logger.js";
import { MonitorScheduler } from "../monitoring/monitor-scheduler.js";
import { type TestApp, startTestApp } from "../testing/test-app.js";
import { JobDispatcher } from "./job-dispatcher.js";
import { type QueueConnection, type QueueStoreSettings, openQueueConnection } from "./queue-connection.js";
import { QueueJobRepository, type QueueJobRow } from "./queue-job.repository.js";

const logger = createLogger("silent");

async function eventually<T>(read: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Job records of a BullMQ job scheduler's jobs (external id `bullmq:<queue>:repeat:<scheduler>:<millis>`). */
async function scheduledRecords(app: TestApp, queue: string, schedulerId: string): Promise<QueueJobRow[]> {
  const { rows } = await app.db.pool.query<{ id: string }>(
    "SELECT id::text FROM job_record WHERE external_id LIKE $1 ORDER BY created_at",
    [`${queueJobExternalId(queue, `repeat:${schedulerId}:`)}%`],
  );
  return new QueueJobRepository(app.db).findByIds(rows.map((row) => row.id));
}

describe("scheduled monitoring in the running app", () => {
  let app: TestApp;

  beforeAll(async () => {
    // Workers in the app; every deployment is monitored every second (the shortest interval allowed).
    app = await startTestApp({ config: { inProcessWorkers: true, monitorIntervalMs: 1_000 } });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  it("schedules a new deployment by itself and runs its monitoring job again and again, each with a COMPLETED record", async () => {
    const fixtures = deploymentFixtures(app);
    const modelVersion = await fixtures.modelVersion("scheduled");
    const deployment = await fixtures.createDeployment("monitored", {
      namespace: "scheduled",
      trafficSplit: [{ modelVersionId: modelVersion, percent: 100 }],
    });
    const deploymentKey = keyOf(deployment.id);
    const schedulerId = monitorSchedulerId(deploymentKey);

    // Nobody called runMonitoring: the workers' reconciliation scheduled it, and the ticks run.
    const completed = await eventually(async () => {
      const records = await scheduledRecords(app, "monitoring", schedulerId);
      const done = records.filter((record) => record.status === "COMPLETED");
      return done.length >= 2 ? done : undefined;
    }, "two scheduled monitoring runs");
    for (const record of completed) {
      expect(record).toMatchObject({
        queue: "monitoring",
        name: MONITOR_DEPLOYMENT_JOB,
        progress: 100,
        attempts: 1,
        error: null,
      });
      expect(record.payload).toMatchObject({ deploymentId: deploymentKey, windowStart: null, alignMs: 1_000 });
      expect(record.result).toMatchObject({ deploymentId: deploymentKey });
      expect(record.finishedAt).not.toBeNull();
    }
    // One record per tick: distinct records, distinct windows.
    expect(new Set(completed.map((record) => record.id)).size).toBe(completed.length);
    const windows = completed.map((record) => (record.result as { windowEnd: string }).windowEnd);
    expect(new Set(windows).size).toBe(windows.length);
    // The run wrote its drift report under its record's id, and GraphQL shows the record.
    const { rows } = await app.db.pool.query("SELECT count(*)::int AS n FROM drift_report WHERE job_id = $1", [completed[0]!.id]);
    expect(rows[0].n).toBe(1);
    const shown = await app.graphql("query($id: ID!) { queueJob(id: $id) { queue name status progress } }", {
      id: encodeNodeId("QueueJob", completed[0]!.id),
    });
    expect(shown.data!.queueJob).toEqual({
      queue: "monitoring",
      name: MONITOR_DEPLOYMENT_JOB,
      status: "COMPLETED",
      progress: 100,
    });
  }, 60_000);
});

describe("job schedulers across worker processes and restarts", () => {
  let app: TestApp;
  let dataDir: string;
  const open: QueueConnection[] = [];

  beforeAll(async () => {
    app = await startTestApp();
    dataDir = await mkdtemp(join(tmpdir(), "pedigree-schedulers-"));
  }, 120_000);
  afterAll(async () => {
    for (const connection of open) await connection.close();
    await app?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  /** The queue store a worker process would open: the record's Postgres server, or an embedded PGlite on disk. */
  function store(): QueueStoreSettings {
    return app.db.mode === "postgres"
      ? { redisUrl: undefined, databaseUrl: app.db.url, dataDir: undefined }
      : { redisUrl: undefined, databaseUrl: undefined, dataDir };
  }

  async function connect(): Promise<QueueConnection> {
    const connection = await openQueueConnection(store());
    open.push(connection);
    return connection;
  }

  async function close(connection: QueueConnection) {
    open.splice(open.indexOf(connection), 1);
    await connection.close();
  }

  it("keeps one scheduler per deployment, with its next run, however many processes schedule it or restart", async () => {
    const deploymentId = randomUUID();
    const first = await connect();
    const firstScheduler = new MonitorScheduler(async () => first.schedulers("monitoring"), 60_000);
    expect(await firstScheduler.ensure(deploymentId)).toBe(true);
    const created = await first.schedulers("monitoring").getJobScheduler(monitorSchedulerId(deploymentId));
    expect(created).toMatchObject({ every: 60_000 });
    // A new schedule runs one interval from now, not at once.
    expect(Number(created!.next)).toBeGreaterThan(Date.now() + 50_000);

    if (app.db.mode === "postgres") {
      // A second worker process on the same store, at the same time.
      const second = await connect();
      const secondScheduler = new MonitorScheduler(async () => second.schedulers("monitoring"), 60_000);
      await Promise.all([secondScheduler.ensure(deploymentId), firstScheduler.ensure(deploymentId)]);
      expect(await secondScheduler.list()).toEqual([{ deploymentId, everyMs: 60_000 }]);
      await close(second);
    }

    // The worker process restarts (the embedded store reopens from its folder).
    await close(first);
    const restarted = await connect();
    const again = new MonitorScheduler(async () => restarted.schedulers("monitoring"), 60_000);
    expect(await again.ensure(deploymentId)).toBe(false);
    expect(await again.list()).toEqual([{ deploymentId, everyMs: 60_000 }]);
    const kept = await restarted.schedulers("monitoring").getJobScheduler(monitorSchedulerId(deploymentId));
    expect(kept?.next).toBe(created!.next);

    // A changed interval replaces the schedule instead of adding one.
    const faster = new MonitorScheduler(async () => restarted.schedulers("monitoring"), 30_000);
    expect(await faster.ensure(deploymentId)).toBe(true);
    expect(await faster.list()).toEqual([{ deploymentId, everyMs: 30_000 }]);
    expect(await faster.remove(deploymentId)).toBe(true);
    expect(await faster.list()).toEqual([]);
    await close(restarted);
  }, 120_000);

  it("gives a scheduler's job one record, found again by its retry, and runs delayed jobs no sooner than asked", async () => {
    const connection = await connect();
    const jobs = new QueueJobRepository(app.db);
    const attemptsSeen: number[] = [];
    const handlers: JobHandler[] = [
      {
        queue: "training",
        name: "tick",
        async run(payload, context) {
          attemptsSeen.push(context.attempt);
          await context.reportProgress(50, "half way");
          if (context.attempt === 1) throw new Error("first attempt fails");
          return { echoed: payload.value, jobId: context.jobId };
        },
      },
      { queue: "training", name: "later", run: async () => ({ ran: Date.now() }) },
    ];
    const host = new WorkerHost(connection, jobs, handlers, logger);
    host.start();
    try {
      const schedulerId = `tick-${randomUUID()}`;
      await connection
        .schedulers("training")
        .upsertJobScheduler(
          schedulerId,
          { every: 3_600_000 },
          { name: "tick", data: { value: 7 }, opts: { attempts: 2, backoff: { type: "fixed", delay: 10 } } },
        );
      const record = await eventually(async () => {
        const records = await scheduledRecords(app, "training", schedulerId);
        return records.some((row) => row.status === "COMPLETED") ? records : undefined;
      }, "the scheduler's job to complete");
      expect(record).toHaveLength(1);
      expect(record[0]).toMatchObject({
        queue: "training",
        name: "tick",
        status: "COMPLETED",
        attempts: 2,
        payload: { value: 7 },
        result: { echoed: 7, jobId: record[0]!.id },
      });
      expect(attemptsSeen).toEqual([1, 2]);
      await connection.schedulers("training").removeJobScheduler(schedulerId);

      const dispatcher = new JobDispatcher(connection, jobs, logger);
      const queuedAt = Date.now();
      const delayed = await dispatcher.dispatch("training", "later", {}, { delayMs: 1_500 });
      expect(delayed.status).toBe("DELAYED");
      const done = await eventually(async () => {
        const [row] = await jobs.findByIds([delayed.id]);
        return row?.status === "COMPLETED" ? row : undefined;
      }, "the delayed job");
      expect((done.result as { ran: number }).ran - queuedAt).toBeGreaterThanOrEqual(1_500);
    } finally {
      await host.close();
    }
  }, 120_000);
});
