import { type Client, createClient } from "graphql-ws";
import WebSocket from "ws";
import { type PedigreeApp, startApp } from "../app.js";
import { loadConfig } from "../config.js";
import { createLogger, type Logger } from "../lib/logger.js";
import { createScratchDatabase } from "../testing/test-database.js";
import type { EventBus } from "./event-bus.js";

/** A graphql-ws client for the API at `httpUrl` (tests, benchmarks, scripts). */
export function openLiveClient(httpUrl: string, connectionParams?: Record<string, unknown>): Client {
  return createClient({
    url: `${httpUrl.replace(/^http/, "ws")}/graphql`,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    ...(connectionParams ? { connectionParams } : {}),
  });
}

/**
 * Waits until `count` subscribers of this process would receive an event published now on
 * `topic` (a client cannot tell when the server has subscribed on its behalf).
 */
export async function waitForSubscribers(bus: EventBus, topic: string, count = 1, timeoutMs = 10_000): Promise<void> {
  const counted = bus as EventBus & { subscriberCount?(topic: string): Promise<number> };
  if (!counted.subscriberCount) throw new Error("This event bus cannot count its subscribers.");
  const deadline = Date.now() + timeoutMs;
  while ((await counted.subscriberCount(topic)) < count) {
    if (Date.now() > deadline) throw new Error(`No ${count} subscriber(s) on ${topic} after ${timeoutMs} ms.`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * `count` API instances on one new Postgres database (scripts/services.sh), sharing Redis for
 * their event buses — as behind a load balancer. Workers stay off; close() drops the database.
 */
export async function startApiInstances(
  count: number,
  redisUrl: string,
  logger: Logger = createLogger("silent"),
): Promise<{ apps: PedigreeApp[]; close(): Promise<void> }> {
  const scratch = await createScratchDatabase();
  const config = {
    ...loadConfig({}),
    port: 0,
    host: "127.0.0.1",
    databaseUrl: scratch.url,
    redisUrl,
    inProcessWorkers: false,
    graphProjector: false,
    rateLimitPerMinute: 0,
    // As startTestApp: feature tests call without tokens and act as an ADMIN.
    anonymousRole: "ADMIN" as const,
  };
  const apps: PedigreeApp[] = [];
  try {
    // One at a time: the first applies the migrations.
    for (let k = 0; k < count; k++) apps.push(await startApp({ config, inMemory: true, logger }));
  } catch (error) {
    await Promise.allSettled(apps.map((app) => app.close()));
    await scratch.drop();
    throw error;
  }
  return {
    apps,
    async close() {
      await Promise.allSettled(apps.map((app) => app.close()));
      await scratch.drop();
    },
  };
}
