import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Client } from "graphql-ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EpochReporter } from "../../workers/processors/train-model/epoch-reporter.js";
import { syntheticClassification } from "../../workers/training/synthetic-data.js";
import { encodeNodeId, tryDecodeNodeId } from "../graphql/node-id.js";
import { type TestApp, startTestApp } from "../testing/test-app.js";
import { type InProcessEventBus, publishSafely } from "./event-bus.js";
import { openLiveClient, waitForSubscribers } from "./live-testing.js";
import { DRIFT_ALERTS_TOPIC, type DriftAlertEvent, runProgressTopic } from "./topics.js";

const JOB_PROGRESS = `subscription($id: ID!) {
  jobProgress(jobId: $id) { jobId queue name status progress message error attempt at }
}`;
const RUN_PROGRESS = `subscription($id: ID!) {
  runProgress(runId: $id) { runId epoch maxEpochs metrics { key value } at status errorMessage }
}`;
const DRIFT_ALERTS = `subscription($filter: DriftAlertFilterInput) {
  driftAlerts(filter: $filter) { alertId deploymentId namespace kind severity message raisedAt driftingFeatures }
}`;

interface Result<T> {
  data?: T | null;
  errors?: ReadonlyArray<{ message: string; extensions?: Record<string, unknown> }>;
}

/** Every result of a subscription until the server completes it. */
async function collect<T>(client: Client, query: string, variables: Record<string, unknown>): Promise<Result<T>[]> {
  const results: Result<T>[] = [];
  for await (const result of client.iterate<T>({ query, variables })) results.push(result as Result<T>);
  return results;
}

/** The first error of a subscription the server refuses (sent as a result, or as an error message). */
async function refusal(client: Client, query: string, variables: Record<string, unknown> = {}) {
  try {
    const results = await collect(client, query, variables);
    expect(results).toHaveLength(1);
    return results[0]!.errors![0]!;
  } catch (error) {
    const errors = error as ReadonlyArray<{ message: string; extensions?: Record<string, unknown> }>;
    expect(Array.isArray(errors)).toBe(true);
    return errors[0]!;
  }
}

function toCsv(columns: Record<string, ArrayLike<number>>): string {
  const names = Object.keys(columns);
  const lines = [names.join(",")];
  for (let row = 0; row < columns[names[0]!]!.length; row++) lines.push(names.map((name) => columns[name]![row]).join(","));
  return `${lines.join("\n")}\n`;
}

describe("subscriptions over graphql-ws (embedded event bus)", () => {
  let app: TestApp;
  let client: Client;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "pedigree-events-"));
    app = await startTestApp({ config: { inProcessWorkers: true, artifactDir: join(dir, "artifacts") } });
    client = openLiveClient(app.url);
  });
  afterAll(async () => {
    await client?.dispose();
    await app?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function datasetVersion(): Promise<string> {
    const data = syntheticClassification({ rows: 1000, features: 4, seed: 5, margin: 0.2 });
    const columns: Record<string, number[]> = {};
    data.featureNames.forEach((name, f) => {
      columns[name] = Array.from({ length: data.target.length }, (_, r) => data.features[r * 4 + f]!);
    });
    columns.label = Array.from(data.target, Number);
    const path = join(dir, "train.csv");
    await writeFile(path, toCsv(columns));
    const registered = await app.graphql(
      `mutation($input: RegisterDatasetVersionInput!) { registerDatasetVersion(input: $input) { datasetVersion { id } } }`,
      {
        input: {
          namespace: "events",
          dataset: "train",
          uri: pathToFileURL(path).href,
          format: "CSV",
          digest: `sha256:${"e".repeat(64)}`,
          schema: [...data.featureNames, "label"].map((name) => ({ name, type: "double" })),
        },
      },
    );
    expect(registered.errors).toBeUndefined();
    return registered.data!.registerDatasetVersion.datasetVersion.id as string;
  }

  it("streams a training job's progress from its current state through COMPLETED, then completes", async () => {
    const started = await app.graphql(`mutation($input: StartTrainingInput!) { startTraining(input: $input) { job { id } } }`, {
      input: {
        namespace: "events",
        model: "live",
        trainDatasetVersionId: await datasetVersion(),
        featureColumns: ["x0", "x1", "x2", "x3"],
        target: "label",
        algorithm: "MLP",
        seed: 3,
        hyperparameters: { task: "classification", hiddenLayers: [8], maxEpochs: 20, earlyStopping: false },
      },
    });
    expect(started.errors).toBeUndefined();
    const jobId = started.data!.startTraining.job.id as string;

    const results = await collect<{ jobProgress: Record<string, any> }>(client, JOB_PROGRESS, { id: jobId });
    expect(results.every((result) => result.errors === undefined)).toBe(true);
    const events = results.map((result) => result.data!.jobProgress);
    // The current state first, then at least one change reported live, ending on COMPLETED.
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(events.at(-1)).toMatchObject({ jobId, queue: "training", name: "train-model", status: "COMPLETED", progress: 100 });
    expect(events.slice(0, -1).every((event) => ["WAITING", "ACTIVE"].includes(event.status))).toBe(true);
    const progress = events.map((event) => event.progress as number);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(events.some((event) => event.status === "ACTIVE" && event.progress < 100)).toBe(true);
    expect(Number.isNaN(Date.parse(events[0]!.at))).toBe(false);

    // Subscribing to a job or run that has ended yields its final state / nothing, and completes.
    const again = await collect<{ jobProgress: Record<string, any> }>(client, JOB_PROGRESS, { id: jobId });
    expect(again.map((result) => result.data!.jobProgress.status)).toEqual(["COMPLETED"]);
    const finished = await app.graphql(`query($id: ID!) { queueJob(id: $id) { result } }`, { id: jobId });
    const runId = finished.data!.queueJob.result.runId as string;
    expect(await collect(client, RUN_PROGRESS, { id: runId })).toEqual([]);
  });

  it("streams each epoch of a running run, once the epoch reporter has logged it", async () => {
    const startedRun = await app.graphql(`mutation($input: StartRunInput!) { startRun(input: $input) { run { id status } } }`, {
      input: { namespace: "events", job: "manual-training" },
    });
    expect(startedRun.errors).toBeUndefined();
    const runId = startedRun.data!.startRun.run.id as string;
    const runKey = tryDecodeNodeId(runId)!.key;
    const iterator = client.iterate<{ runProgress: Record<string, any> }>({ query: RUN_PROGRESS, variables: { id: runId } });
    await waitForSubscribers(app.services.events, runProgressTopic(runKey));

    const logged: number[] = [];
    const meta = { actor: { name: "test" }, requestId: "epochs", clientAddress: undefined };
    const reporter = new EpochReporter({
      logMetrics: async (points) => {
        await app.services.metrics.log(meta, { id: runKey, shownAs: runId }, points);
        logged.push(...points.map((point) => point.step));
      },
      reportProgress: async () => {},
      logged: {},
      intervalMs: 0,
      runId: runKey,
      publish: (topic, payload) => publishSafely(app.services.events, app.logger, topic, payload),
    });
    for (let epoch = 1; epoch <= 3; epoch++) {
      await reporter.onEpoch(
        { epoch, loss: 1 / epoch, valLoss: 1.5 / epoch, valAccuracy: 0.5 + epoch / 10 },
        { epoch, maxEpochs: 3 },
      );
    }
    const ended = await app.graphql(`mutation($input: UpdateRunInput!) { updateRun(input: $input) { status } }`, {
      input: { id: runId, status: "FAILED", errorMessage: "diverged" },
    });
    expect(ended.errors).toBeUndefined();
    // Three epochs, then the run's last event (how it ended), then the subscription completes.
    const received = [];
    for (;;) {
      const next = await iterator.next();
      if (next.done) break;
      received.push(next.value!.data!.runProgress);
    }
    expect(logged).toContain(3);
    expect(received.map((event) => event.epoch)).toEqual([1, 2, 3, 3]);
    expect(received.map((event) => event.status)).toEqual([null, null, null, "FAILED"]);
    expect(received[3]).toMatchObject({ runId, errorMessage: "diverged" });
    expect(received[2]).toMatchObject({
      runId,
      maxEpochs: 3,
      metrics: [
        { key: "loss", value: 1 / 3 },
        { key: "val_loss", value: 0.5 },
        { key: "val_accuracy", value: 0.8 },
      ],
    });
  });

  it("delivers a published DriftAlertEvent to the driftAlerts subscribers whose filter it matches", async () => {
    const deploymentKey = "00000000-0000-4000-8000-0000000000d1";
    const matching = client.iterate<{ driftAlerts: Record<string, any> }>({
      query: DRIFT_ALERTS,
      variables: { filter: { namespace: "events", kinds: ["DATA_DRIFT"] } },
    });
    const everything = client.iterate<{ driftAlerts: Record<string, any> }>({ query: DRIFT_ALERTS, variables: {} });
    await waitForSubscribers(app.services.events, DRIFT_ALERTS_TOPIC, 2);
    const alert = (overrides: Partial<DriftAlertEvent>): DriftAlertEvent => ({
      alertId: "00000000-0000-4000-8000-0000000000a1",
      deploymentId: deploymentKey,
      namespace: "events",
      kind: "DATA_DRIFT",
      severity: "CRITICAL",
      message: "PSI 0.31 > 0.2 on x0",
      raisedAt: "2026-11-25T10:00:00.000Z",
      driftingFeatures: ["x0"],
      ...overrides,
    });
    // Published in this order: only the last one passes the first subscriber's filter.
    await app.services.events.publish(DRIFT_ALERTS_TOPIC, alert({ namespace: "elsewhere", message: "other namespace" }));
    await app.services.events.publish(DRIFT_ALERTS_TOPIC, alert({ kind: "LATENCY", message: "p99 250 ms > 200 ms" }));
    await app.services.events.publish(DRIFT_ALERTS_TOPIC, alert({}));

    const first = await matching.next();
    expect(first.value!.data!.driftAlerts).toEqual({
      alertId: expect.any(String),
      deploymentId: encodeNodeId("Deployment", deploymentKey),
      namespace: "events",
      kind: "DATA_DRIFT",
      severity: "CRITICAL",
      message: "PSI 0.31 > 0.2 on x0",
      raisedAt: "2026-11-25T10:00:00.000Z",
      driftingFeatures: ["x0"],
    });
    const all = [];
    for (let k = 0; k < 3; k++) all.push((await everything.next()).value!.data!.driftAlerts.message);
    expect(all).toEqual(["other namespace", "p99 250 ms > 200 ms", "PSI 0.31 > 0.2 on x0"]);
    await matching.return?.();
    await everything.return?.();
    // Ended subscriptions let go of the topic.
    await expect.poll(() => (app.services.events as InProcessEventBus).subscriberCount(DRIFT_ALERTS_TOPIC)).toBe(0);
  });

  it("refuses malformed, mistyped and unknown ids, and unknown filter values, with a clear error", async () => {
    const unknownJob = encodeNodeId("QueueJob", "00000000-0000-4000-8000-000000000001");
    expect(await refusal(client, JOB_PROGRESS, { id: unknownJob })).toMatchObject({
      message: `QueueJob "${unknownJob}" not found.`,
      extensions: { code: "NOT_FOUND", field: "jobId" },
    });
    expect(await refusal(client, JOB_PROGRESS, { id: "not-an-id" })).toMatchObject({
      extensions: { code: "BAD_USER_INPUT", field: "jobId" },
    });
    const aRun = encodeNodeId("Run", "00000000-0000-4000-8000-000000000001");
    expect(await refusal(client, JOB_PROGRESS, { id: aRun })).toMatchObject({
      message: expect.stringContaining("must be the id of a QueueJob"),
      extensions: { code: "BAD_USER_INPUT", field: "jobId" },
    });
    expect(await refusal(client, RUN_PROGRESS, { id: aRun })).toMatchObject({
      extensions: { code: "NOT_FOUND", field: "runId" },
    });
    expect(
      await refusal(client, `subscription($id: ID!) { deploymentEvents(deploymentId: $id) { kind } }`, {
        id: encodeNodeId("Deployment", "00000000-0000-4000-8000-000000000001"),
      }),
    ).toMatchObject({ extensions: { code: "NOT_FOUND", field: "deploymentId" } });
    expect(await refusal(client, DRIFT_ALERTS, { filter: { kinds: ["DRIFTY"] } })).toMatchObject({
      message: expect.stringContaining('"DRIFTY"'),
      extensions: { code: "BAD_USER_INPUT", field: "filter.kinds" },
    });
    expect(await refusal(client, DRIFT_ALERTS, { filter: { namespace: "nowhere" } })).toMatchObject({
      extensions: { code: "NOT_FOUND", field: "filter.namespace" },
    });
    expect(await refusal(client, DRIFT_ALERTS, { filter: { deploymentId: aRun } })).toMatchObject({
      extensions: { code: "BAD_USER_INPUT", field: "filter.deploymentId" },
    });
    expect(await refusal(client, JOB_PROGRESS, {})).toMatchObject({ extensions: { code: "BAD_USER_INPUT" } });
  });
});

describe("limits on the WebSocket path", () => {
  let app: TestApp;
  let client: Client;
  const limits = { maxDepth: 2, maxAliases: 3, maxCost: 250_000, maxTokens: 200 };

  beforeAll(async () => {
    app = await startTestApp({ limits, config: { wsMaxMessageBytes: 4096 } });
    client = openLiveClient(app.url);
  });
  afterAll(async () => {
    await client?.dispose();
    await app?.close();
  });

  const deployment = encodeNodeId("Deployment", "00000000-0000-4000-8000-000000000001");

  it("refuses an over-deep subscription, as HTTP refuses an over-deep query", async () => {
    const error = await refusal(
      client,
      `subscription($id: ID!) { deploymentEvents(deploymentId: $id) { trafficSplit { percent } } }`,
      { id: deployment },
    );
    expect(error).toMatchObject({ extensions: { code: "GRAPHQL_VALIDATION_FAILED" } });
    expect(error.message).toMatch(/depth/i);
    const overHttp = await app.graphql(`{ namespaces { edges { node { name } } } }`);
    expect(overHttp.errors?.[0]?.extensions).toMatchObject({ code: "GRAPHQL_VALIDATION_FAILED" });
  });

  it("refuses an over-aliased subscription", async () => {
    const error = await refusal(client, `subscription { driftAlerts { a: kind b: kind c: kind d: kind } }`);
    expect(error).toMatchObject({ extensions: { code: "GRAPHQL_VALIDATION_FAILED" } });
    expect(error.message).toMatch(/alias/i);
  });

  it("refuses a document over the token limit", async () => {
    const fields = Array.from({ length: 250 }, () => "kind").join(" ");
    const error = await refusal(client, `subscription { driftAlerts { ${fields} } }`);
    expect(error).toMatchObject({ extensions: { code: "GRAPHQL_PARSE_FAILED" } });
    expect(error.message).toMatch(/token/i);
  });

  it("runs only subscriptions over WebSocket", async () => {
    const error = await refusal(client, `{ namespaces { totalCount } }`);
    expect(error).toMatchObject({ extensions: { code: "BAD_USER_INPUT" } });
  });

  it("closes a connection whose message exceeds the size limit", async () => {
    const oversized = openLiveClient(app.url);
    try {
      const attempt = collect(oversized, DRIFT_ALERTS, { filter: { namespace: "x".repeat(8_000) } });
      await expect(attempt).rejects.toMatchObject({ code: 1009 });
    } finally {
      await oversized.dispose();
    }
  });
});
