import { randomUUID } from "node:crypto";
import { Queue, createPostgresBackend } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { serviceUrls } from "../testing/service-urls.js";
import { type ScratchDatabase, createScratchDatabase } from "../testing/test-database.js";
import { MONITOR_DEPLOYMENT_JOB, monitorSchedulerId } from "../../workers/jobs/monitor-deployment.job.js";
import { type JobSchedulerPort, MonitorScheduler } from "./monitor-scheduler.js";

// The scheduler against real BullMQ job schedulers on both queue stores Pedigree uses.
describe("MonitorScheduler on BullMQ job schedulers", () => {
  const closers: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
  });

  async function redisQueue(): Promise<Queue> {
    const client = new Redis(serviceUrls().redis, { maxRetriesPerRequest: null });
    const queue = new Queue(`monitoring-${randomUUID()}`, { connection: client, prefix: "pedigree-test" });
    closers.push(async () => {
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
      client.disconnect();
    });
    return queue;
  }

  async function postgresQueue(): Promise<
    JobSchedulerPort & Pick<Queue, "getJobSchedulersCount" | "getWaitingCount" | "getDelayedCount" | "getJobScheduler">
  > {
    const scratch: ScratchDatabase = await createScratchDatabase();
    const queue = new Queue(
      "monitoring",
      { connection: { connectionString: scratch.url, migrate: true, schema: "bullmq", max: 2 }, prefix: "pedigree" },
      createPostgresBackend,
    );
    closers.push(async () => {
      await queue.close();
      await scratch.drop();
    });
    return queue;
  }

  for (const [store, open] of [
    ["Redis", redisQueue],
    ["PostgreSQL", postgresQueue],
  ] as const) {
    it(`upserts one scheduler per deployment, replaces its interval and removes it (${store})`, async () => {
      const queue = await open();
      const scheduler = new MonitorScheduler(async () => queue, 60_000);
      const deploymentId = randomUUID();
      await scheduler.ensure(deploymentId);
      await scheduler.ensure(deploymentId);
      expect(await queue.getJobSchedulersCount()).toBe(1);
      expect(await scheduler.get(deploymentId)).toEqual({ deploymentId, everyMs: 60_000 });
      const stored = await queue.getJobScheduler(monitorSchedulerId(deploymentId));
      expect(stored).toMatchObject({ name: MONITOR_DEPLOYMENT_JOB, template: { data: { deploymentId, alignMs: 60_000 } } });
      // One job of the schedule is queued (waiting or delayed), not one per upsert.
      expect((await queue.getWaitingCount()) + (await queue.getDelayedCount())).toBe(1);

      const faster = new MonitorScheduler(async () => queue, 5_000);
      await faster.ensure(deploymentId);
      expect(await faster.get(deploymentId)).toEqual({ deploymentId, everyMs: 5_000 });
      expect(await queue.getJobSchedulersCount()).toBe(1);

      expect(await scheduler.remove(deploymentId)).toBe(true);
      expect(await scheduler.get(deploymentId)).toBeNull();
    });
  }

  it("refuses an interval under a second", () => {
    expect(
      () =>
        new MonitorScheduler(async () => {
          throw new Error("unused");
        }, 10),
    ).toThrow(/at least 1000/);
  });
});
