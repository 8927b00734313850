import type { Client } from "graphql-ws";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PedigreeApp } from "../app.js";
import { encodeNodeId } from "../graphql/node-id.js";
import { createLogger } from "../lib/logger.js";
import { serviceUrls } from "../testing/service-urls.js";
import { RedisEventBus } from "./event-bus.js";
import { openLiveClient, startApiInstances, waitForSubscribers } from "./live-testing.js";
import { DRIFT_ALERTS_TOPIC, type DriftAlertEvent } from "./topics.js";

const DRIFT_ALERTS = `subscription($filter: DriftAlertFilterInput) {
  driftAlerts(filter: $filter) { alertId deploymentId namespace kind severity message raisedAt driftingFeatures }
}`;

function alert(overrides: Partial<DriftAlertEvent> = {}): DriftAlertEvent {
  return {
    alertId: "00000000-0000-4000-8000-0000000000a1",
    deploymentId: "00000000-0000-4000-8000-0000000000d1",
    namespace: "fraud",
    kind: "DATA_DRIFT",
    severity: "CRITICAL",
    message: "PSI 0.34 > 0.2 on amount",
    raisedAt: "2026-11-25T10:00:00.000Z",
    driftingFeatures: ["amount"],
    ...overrides,
  };
}

describe("subscriptions across API instances over Redis pub/sub", () => {
  const redisUrl = serviceUrls().redis;
  let instances: Awaited<ReturnType<typeof startApiInstances>>;
  let a: PedigreeApp;
  let b: PedigreeApp;
  let client: Client;
  let redis: Redis;
  let workerBus: RedisEventBus;

  beforeAll(async () => {
    instances = await startApiInstances(2, redisUrl);
    [a, b] = instances.apps as [PedigreeApp, PedigreeApp];
    client = openLiveClient(b.url);
    redis = new Redis(redisUrl);
    // What a worker process (workers/main.ts) publishes through.
    workerBus = new RedisEventBus(redisUrl, createLogger("silent"));
    const namespace = await a.services.namespaces.register(
      { actor: { name: "test" }, requestId: "setup", clientAddress: undefined },
      { name: "fraud", description: null },
    );
    expect(namespace).toBeDefined();
  });
  afterAll(async () => {
    await client?.dispose();
    await workerBus?.close();
    redis?.disconnect();
    await instances?.close();
  });

  it("delivers an alert published on instance A, or by a worker, to a filtered client of instance B", async () => {
    const subscription = client.iterate<{ driftAlerts: Record<string, unknown> }>({
      query: DRIFT_ALERTS,
      variables: { filter: { namespace: "fraud", kinds: ["DATA_DRIFT", "ACCURACY"] } },
    });
    await waitForSubscribers(b.services.events, DRIFT_ALERTS_TOPIC);

    await a.services.events.publish(DRIFT_ALERTS_TOPIC, alert({ namespace: "other", message: "filtered: namespace" }));
    await a.services.events.publish(DRIFT_ALERTS_TOPIC, alert({ kind: "LATENCY", message: "filtered: kind" }));
    await a.services.events.publish(DRIFT_ALERTS_TOPIC, alert({ message: "from instance A" }));
    await workerBus.publish(DRIFT_ALERTS_TOPIC, alert({ kind: "ACCURACY", message: "from a worker", driftingFeatures: [] }));

    const first = await subscription.next();
    expect(first.value!.data!.driftAlerts).toEqual({
      alertId: expect.any(String),
      deploymentId: encodeNodeId("Deployment", "00000000-0000-4000-8000-0000000000d1"),
      namespace: "fraud",
      kind: "DATA_DRIFT",
      severity: "CRITICAL",
      message: "from instance A",
      raisedAt: "2026-11-25T10:00:00.000Z",
      driftingFeatures: ["amount"],
    });
    const second = await subscription.next();
    expect(second.value!.data!.driftAlerts).toMatchObject({ kind: "ACCURACY", message: "from a worker", driftingFeatures: [] });
    await subscription.return?.();
  });

  it("holds one Redis channel per process for any number of local subscribers, and releases it with the last", async () => {
    const numsub = async () => Number(((await redis.pubsub("NUMSUB", DRIFT_ALERTS_TOPIC)) as [string, number])[1]);
    await expect.poll(numsub).toBe(0);
    const first = client.iterate({ query: DRIFT_ALERTS, variables: {} });
    const second = client.iterate({ query: DRIFT_ALERTS, variables: { filter: { namespace: "fraud" } } });
    await waitForSubscribers(b.services.events, DRIFT_ALERTS_TOPIC, 2);
    expect(await numsub()).toBe(1);
    // Both local subscribers get the one message Redis delivers to the process.
    await a.services.events.publish(DRIFT_ALERTS_TOPIC, alert({ message: "to both" }));
    expect(((await first.next()).value as { data: { driftAlerts: { message: string } } }).data.driftAlerts.message).toBe(
      "to both",
    );
    expect(((await second.next()).value as { data: { driftAlerts: { message: string } } }).data.driftAlerts.message).toBe(
      "to both",
    );
    await first.return?.();
    await expect.poll(() => (b.services.events as RedisEventBus).subscriberCount(DRIFT_ALERTS_TOPIC)).toBe(1);
    expect(await numsub()).toBe(1);
    await second.return?.();
    await expect.poll(numsub).toBe(0);
  });

  it("a publish to an unreachable Redis is an error the caller can log; subscribing does not hang the API", async () => {
    const down = new RedisEventBus("redis://127.0.0.1:1", createLogger("silent"));
    try {
      await expect(down.publish(DRIFT_ALERTS_TOPIC, alert())).rejects.toThrow();
    } finally {
      await down.close();
    }
    const health = await fetch(`${b.url}/healthz`);
    expect(health.status).toBe(200);
  });
});
