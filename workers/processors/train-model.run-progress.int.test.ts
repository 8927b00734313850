import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ArtifactStore } from "../../server/artifacts/artifact-store.js";
import { publishSafely, subscribeConfirmed } from "../../server/events/event-bus.js";
import { type RunProgressEvent, runProgressTopic } from "../../server/events/topics.js";
import type { RunEndedEvent } from "../../server/run/run.service.js";
import { type TestApp, startTestApp } from "../../server/testing/test-app.js";
import { syntheticClassification } from "../training/synthetic-data.js";
import type { JobContext } from "../worker-host.js";
import { trainModelHandler } from "./train-model.processor.js";

type ProgressEvent = RunProgressEvent & Partial<Pick<RunEndedEvent, "status" | "errorMessage">>;

/** The events of a run's topic until (and with) the one that says the run ended. */
async function untilEnded(events: AsyncIterableIterator<unknown>): Promise<ProgressEvent[]> {
  const received: ProgressEvent[] = [];
  for await (const payload of events) {
    received.push(payload as ProgressEvent);
    if ((payload as ProgressEvent).status) break;
  }
  return received;
}

describe("runProgress events of a real training job", () => {
  let app: TestApp;
  let dir: string;
  let datasetPath: string;
  let datasets = 0;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "pedigree-run-progress-"));
    app = await startTestApp();
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Writes a small separable dataset, registers it and queues a train-model job (no worker takes it). */
  async function queueTraining(): Promise<{ jobId: string; payload: Record<string, unknown> }> {
    const data = syntheticClassification({ rows: 400, features: 2, seed: 11, margin: 0.3 });
    const lines = ["x0,x1,label"];
    for (let row = 0; row < data.target.length; row++) {
      lines.push(`${data.features[row * 2]},${data.features[row * 2 + 1]},${Number(data.target[row])}`);
    }
    datasets += 1;
    datasetPath = join(dir, `train-${datasets}.csv`);
    await writeFile(datasetPath, `${lines.join("\n")}\n`);
    const registered = await app.graphql(
      `mutation($input: RegisterDatasetVersionInput!) { registerDatasetVersion(input: $input) { datasetVersion { id } } }`,
      {
        input: {
          namespace: "progress",
          dataset: "train",
          uri: pathToFileURL(datasetPath).href,
          format: "CSV",
          digest: `sha256:${"a".repeat(63)}${datasets}`,
          schema: ["x0", "x1", "label"].map((name) => ({ name, type: "double" })),
        },
      },
    );
    expect(registered.errors).toBeUndefined();
    const started = await app.graphql(`mutation($input: StartTrainingInput!) { startTraining(input: $input) { job { id } } }`, {
      input: {
        namespace: "progress",
        model: "live",
        trainDatasetVersionId: registered.data!.registerDatasetVersion.datasetVersion.id,
        featureColumns: ["x0", "x1"],
        target: "label",
        algorithm: "MLP",
        seed: 5,
        hyperparameters: { task: "classification", hiddenLayers: [4], maxEpochs: 8, earlyStopping: false },
      },
    });
    expect(started.errors).toBeUndefined();
    const { rows } = await app.db.pool.query<{ id: string; payload: Record<string, unknown> }>(
      "SELECT id::text, payload FROM job_record WHERE name = 'train-model' ORDER BY created_at DESC LIMIT 1",
    );
    return { jobId: rows[0]!.id, payload: rows[0]!.payload };
  }

  /**
   * Runs the job as a worker would, with JobContext.publish on the app's event bus. Once the run
   * exists (its first progress report), subscribes to its topic over the bus, as an API instance does.
   */
  async function train(jobId: string, payload: Record<string, unknown>) {
    const handler = trainModelHandler(app.services, new ArtifactStore(join(dir, "artifacts")));
    let subscription: Promise<AsyncIterableIterator<unknown>> | undefined;
    const context: JobContext = {
      jobId,
      dueAt: new Date(),
      attempt: 3, // the last attempt: a failure ends the run
      reportProgress: async () => {
        subscription ??= app.services.training
          .runOfJob(jobId)
          .then((run) => subscribeConfirmed(app.services.events, runProgressTopic(run!.id)));
        await subscription;
      },
      publish: (topic, event) => publishSafely(app.services.events, app.logger, topic, event),
    };
    const outcome = await handler.run(payload, context).then(
      (result) => ({ result, error: undefined }),
      (error: unknown) => ({ result: undefined, error }),
    );
    const run = (await app.services.training.runOfJob(jobId))!;
    return { outcome, run, events: await untilEnded(await subscription!) };
  }

  it("streams every epoch once its metrics are logged, then a final COMPLETED event", async () => {
    const { jobId, payload } = await queueTraining();
    const { outcome, run, events } = await train(jobId, payload);
    expect(outcome.error).toBeUndefined();
    expect(outcome.result).toMatchObject({ epochs: 8 });
    expect(run.status).toBe("COMPLETED");

    const epochs = events.filter((event) => event.status === undefined);
    expect(epochs.length).toBeGreaterThanOrEqual(1);
    expect(epochs.map((event) => event.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    for (const event of epochs) {
      expect(event).toMatchObject({ runId: run.id, maxEpochs: 8 });
      expect(Object.keys(event.metrics)).toEqual(expect.arrayContaining(["loss", "val_loss", "val_accuracy"]));
    }
    // The metrics an event reports were committed before it was published.
    const { rows } = await app.db.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM metric_point WHERE run_id = $1 AND key = 'val_loss'",
      [run.id],
    );
    expect(rows[0]!.n).toBe(8);

    const final = events.at(-1)!;
    expect(final).toMatchObject({ runId: run.id, status: "COMPLETED", errorMessage: null, epoch: 8 });
    expect(final.metrics.val_loss).toBe(epochs.at(-1)!.metrics.val_loss);
    expect(final.at).toBe(run.endedAt!.toISOString());
  }, 60_000);

  it("ends the stream with a FAILED event, with the reason, when training fails", async () => {
    const { jobId, payload } = await queueTraining();
    // The file changes under the registered version: the target column is gone.
    await writeFile(datasetPath, "x0,x1\n1,2\n3,4\n");
    const { outcome, run, events } = await train(jobId, payload);
    expect(outcome.error).toBeInstanceOf(Error);
    expect(run.status).toBe("FAILED");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ runId: run.id, status: "FAILED", epoch: 0, metrics: {} });
    expect(events[0]!.errorMessage).toBe(run.errorMessage);
    expect(events[0]!.errorMessage).toBeTruthy();
  }, 60_000);
});
