import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { LineageStore } from "../../graph/lineage-store.js";
import { Neo4jLineageStore } from "../../graph/neo4j/neo4j-lineage-store.js";
import { createLogger } from "../lib/logger.js";
import { serviceUrls } from "../testing/service-urls.js";
import { type TestApp, startTestApp } from "../testing/test-app.js";
import { GraphProjectionRepository } from "./graph-projection.repository.js";
import { GraphProjectionWorker } from "./graph-projection-worker.js";
import { GraphStoreConnection } from "./graph-store-connection.js";

// How the projection worker schedules its batches, against the real outbox and Neo4j of
// scripts/services.sh: a trickle of small writes is projected in a few batches (each a Neo4j
// transaction), not one per write; a backlog is drained in full batches without pausing.
describe("graph projection worker batching", () => {
  let app: TestApp;
  let neo4j: Neo4jLineageStore;
  let projection: GraphProjectionRepository;
  let worker: GraphProjectionWorker | undefined;
  let batches = 0;

  beforeAll(async () => {
    app = await startTestApp();
    neo4j = await Neo4jLineageStore.open({ url: serviceUrls().neo4j });
    projection = new GraphProjectionRepository(app.db);
  });
  afterEach(async () => {
    await worker?.stop();
  });
  afterAll(async () => {
    await neo4j?.close();
    await app?.close();
  });

  /** A worker on its own projection, counting the Neo4j transactions it opens. */
  async function startWorker(options: { batchSize: number; idleDelayMs: number }) {
    const name = `worker-batching-${Date.now()}`;
    // Starts past what earlier tests wrote.
    const head = await projection.head();
    await projection.withLockedCheckpoint(name, { wait: true }, async () => head);
    batches = 0;
    const counted = new Proxy(neo4j, {
      get(target, property, receiver) {
        if (property === "recordEdges") {
          return (...args: Parameters<LineageStore["recordEdges"]>) => {
            batches += 1;
            return target.recordEdges(...args);
          };
        }
        return Reflect.get(target, property, receiver);
      },
    });
    const connection = new GraphStoreConnection(async () => counted);
    worker = new GraphProjectionWorker(projection, connection, name, createLogger("silent"), options);
    worker.start();
    return name;
  }

  async function appendOutboxRows(count: number): Promise<void> {
    await app.db.pool.query(
      `INSERT INTO graph_outbox (topic, payload)
       SELECT 'test.trickle', '{"node": {"kind": "Run", "id": "x"}, "addedEdges": [], "closedEdges": []}'::jsonb
       FROM generate_series(1, $1)`,
      [count],
    );
  }

  async function caughtUp(name: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await projection.checkpoint(name)) < (await projection.head())) {
      if (Date.now() > deadline) throw new Error(`projection ${name} did not catch up in ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it("projects a steady trickle of writes in batches an idle delay apart", async () => {
    const name = await startWorker({ batchSize: 5_000, idleDelayMs: 400 });
    // One write after the other for 0.8 s: rows keep arriving while each batch is projected.
    let written = 0;
    for (const until = Date.now() + 800; Date.now() < until; written++) await appendOutboxRows(1);
    await caughtUp(name, 5_000);
    expect(worker!.status().rowsProjected).toBe(written);
    expect(written).toBeGreaterThan(50);
    // About one batch per idle delay while the writes last; without the delay, one per loop of the
    // worker (a few writes each).
    expect(batches).toBeGreaterThanOrEqual(2);
    expect(batches).toBeLessThanOrEqual(6);
  });

  it("drains a backlog in full batches, one right after the other", async () => {
    const name = await startWorker({ batchSize: 100, idleDelayMs: 60_000 });
    await appendOutboxRows(250);
    worker!.wake();
    // Far less than the idle delay: full batches do not wait for it.
    await caughtUp(name, 10_000);
    expect(batches).toBe(3);
  });
});
