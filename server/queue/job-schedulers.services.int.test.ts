import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { MonitorScheduler } from "../monitoring/monitor-scheduler.js";
import { serviceUrls } from "../testing/service-urls.js";
import { type QueueConnection, openQueueConnection } from "./queue-connection.js";

// QueueConnection.schedulers on Redis: two worker processes schedule the same deployment.
describe("job schedulers on Redis", () => {
  const open: QueueConnection[] = [];
  afterAll(async () => {
    for (const connection of open) await connection.close();
  });

  it("keeps one scheduler per deployment when two processes schedule it at once", async () => {
    for (let k = 0; k < 2; k++) {
      open.push(await openQueueConnection({ redisUrl: serviceUrls().redis, databaseUrl: undefined, dataDir: undefined }));
    }
    const deploymentId = randomUUID();
    const [first, second] = open.map(
      (connection) => new MonitorScheduler(async () => connection.schedulers("monitoring"), 60_000),
    );
    try {
      await Promise.all([first!.ensure(deploymentId), second!.ensure(deploymentId)]);
      expect(await second!.ensure(deploymentId)).toBe(false);
      expect((await first!.list()).filter((schedule) => schedule.deploymentId === deploymentId)).toEqual([
        { deploymentId, everyMs: 60_000 },
      ]);
      const stored = await open[0]!.schedulers("monitoring").getJobScheduler(`monitor-deployment:${deploymentId}`);
      // A new schedule first runs an interval from now.
      expect(Number(stored?.next)).toBeGreaterThan(Date.now() + 50_000);
    } finally {
      await first!.remove(deploymentId);
    }
    expect(await second!.get(deploymentId)).toBeNull();
  });
});
