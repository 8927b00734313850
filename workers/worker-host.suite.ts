import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeNodeId } from "../server/graphql/node-id.js";
import { createLogger } from "../server/lib/logger.js";
import { JobDispatcher } from "../server/queue/job-dispatcher.js";
import { type QueueConnection, type QueueStoreSettings, openQueueConnection } from "../server/queue/queue-connection.js";
import { QueueJobRepository, type QueueJobRow } from "../server/queue/queue-job.repository.js";
import { QueueUnavailableError } from "../server/queue/queue.errors.js";
import { type TestApp, startTestApp } from "../server/testing/test-app.js";
import { type JobHandler, PermanentJobError, WorkerHost } from "./worker-host.js";

const logger = createLogger("silent");

async function waitFor(read: () => Promise<QueueJobRow | undefined>, done: (row: QueueJobRow) => boolean): Promise<QueueJobRow> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const row = await read();
    if (row && done(row)) return row;
    if (Date.now() > deadline) throw new Error(`job did not finish; last state ${JSON.stringify(row)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * The worker host and job records on a real queue store: BullMQ on Redis, on Postgres, or on the
 * embedded PGlite. `queueStore` picks the store for the test app's database.
 */
export function describeWorkerHost(label: string, queueStore: (app: TestApp) => QueueStoreSettings) {
  describe(`worker host and job records (${label})`, () => {
    let app: TestApp;
    let connection: QueueConnection;
    let host: WorkerHost;
    let dispatcher: JobDispatcher;
    let jobs: QueueJobRepository;
    const seen: number[] = [];

    const handlers: JobHandler[] = [
      {
        queue: "training",
        name: "count-to",
        async run(payload, context) {
          const target = Number(payload.target);
          for (let step = 1; step <= target; step += 1)
            await context.reportProgress((step / target) * 100, `step ${step} of ${target}`);
          return { counted: target, attempt: context.attempt };
        },
      },
      {
        queue: "training",
        name: "flaky",
        async run(_payload, context) {
          seen.push(context.attempt);
          throw new Error(`attempt ${context.attempt} failed`);
        },
      },
      {
        queue: "training",
        name: "bad-input",
        async run() {
          throw new PermanentJobError("the dataset file is not a CSV");
        },
      },
    ];

    beforeAll(async () => {
      app = await startTestApp();
      jobs = new QueueJobRepository(app.db);
      connection = await openQueueConnection(queueStore(app));
      dispatcher = new JobDispatcher(connection, jobs, logger);
      host = new WorkerHost(connection, jobs, handlers, logger);
      host.start();
    }, 120_000);
    afterAll(async () => {
      await host?.close();
      await connection?.close();
      await app?.close();
    });

    const row = async (id: string) => (await jobs.findByIds([id]))[0];

    it("runs a job, mirroring progress and the result into its record", async () => {
      const queued = await dispatcher.dispatch("training", "count-to", { target: 4 });
      expect(queued).toMatchObject({ queue: "training", name: "count-to", status: "WAITING", progress: 0 });
      const finished = await waitFor(
        () => row(queued.id),
        (r) => r.status === "COMPLETED",
      );
      expect(finished).toMatchObject({ progress: 100, message: "step 4 of 4", attempts: 1, result: { counted: 4, attempt: 1 } });
      expect(finished.finishedAt).not.toBeNull();
      // GraphQL shows the same record.
      const shown = await app.graphql(
        "query($id: ID!) { queueJob(id: $id) { id queue name status progress message result attempts finishedAt } }",
        { id: encodeNodeId("QueueJob", queued.id) },
      );
      expect(shown.errors).toBeUndefined();
      expect(shown.data!.queueJob).toMatchObject({
        queue: "training",
        name: "count-to",
        status: "COMPLETED",
        progress: 100,
        message: "step 4 of 4",
        result: { counted: 4, attempt: 1 },
        attempts: 1,
      });
    });

    it("answers null for an unknown job and BAD_USER_INPUT for an id of another kind", async () => {
      const unknown = await app.graphql("query($id: ID!) { queueJob(id: $id) { id } }", {
        id: encodeNodeId("QueueJob", "00000000-0000-4000-8000-000000000001"),
      });
      expect(unknown.errors).toBeUndefined();
      expect(unknown.data!.queueJob).toBeNull();
      const wrongKind = await app.graphql("query($id: ID!) { queueJob(id: $id) { id } }", {
        id: encodeNodeId("Run", "00000000-0000-4000-8000-000000000001"),
      });
      expect(wrongKind.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "id" });
    });

    it("retries a failing job with backoff, then records it FAILED with the last error", async () => {
      const queued = await dispatcher.dispatch("training", "flaky", {}, { attempts: 2, backoffMs: 10 });
      const failed = await waitFor(
        () => row(queued.id),
        (r) => r.status === "FAILED",
      );
      expect(failed).toMatchObject({ attempts: 2, error: "attempt 2 failed" });
      expect(seen).toEqual([1, 2]);
    });

    it("fails at once on a permanent error, without retrying", async () => {
      const queued = await dispatcher.dispatch("training", "bad-input", {}, { attempts: 3, backoffMs: 10 });
      const failed = await waitFor(
        () => row(queued.id),
        (r) => r.status === "FAILED",
      );
      expect(failed).toMatchObject({ attempts: 1, error: "the dataset file is not a CSV" });
    });
  });
}

/** Dispatching to a queue store that is down fails clearly and leaves no job record behind. */
export function describeUnavailableQueue(label: string, settings: QueueStoreSettings) {
  describe(`an unavailable queue store (${label})`, () => {
    let app: TestApp;
    let connection: QueueConnection;

    beforeAll(async () => {
      app = await startTestApp();
      connection = await openQueueConnection(settings);
    });
    afterAll(async () => {
      await connection?.close();
      await app?.close();
    });

    it("answers SERVICE_UNAVAILABLE and writes no job record", async () => {
      const jobs = new QueueJobRepository(app.db);
      const dispatcher = new JobDispatcher(connection, jobs, logger);
      const before = await app.countRows(["job_record"]);
      const attempt = dispatcher.dispatch("training", "count-to", { target: 1 });
      await expect(attempt).rejects.toBeInstanceOf(QueueUnavailableError);
      await expect(attempt).rejects.toMatchObject({ code: "SERVICE_UNAVAILABLE" });
      expect(await app.countRows(["job_record"])).toEqual(before);
    });
  });
}
