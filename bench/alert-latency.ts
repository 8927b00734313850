// Alert latency, two ways.
// 1. Publish → client: from publishing a DriftAlertEvent (as the monitoring job does once a drift
//    rule fires and its transaction commits) to a graphql-ws client subscribed to driftAlerts
//    receiving it. Redis: published by a worker-side event bus (and by another API instance),
//    received through API instance B of two sharing Redis and Postgres. Embedded: one process,
//    in-memory bus, PGlite.
// 2. End to end (the figure): from prediction_log rows that cross the PSI threshold being
//    written (t0) through runMonitoring (queue, worker, drift, rules, alert, commit, publish) to the
//    subscribed client receiving the alert (t1).
// Every party runs in this one process (one event loop), so the figures include its scheduling.
// BENCH_ALERT_PARTS=publish,e2e (default both) picks the parts.
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "graphql-ws";
import { type PedigreeApp, startApp } from "../server/app.js";
import { loadConfig } from "../server/config.js";
import { type EventBus, RedisEventBus } from "../server/events/event-bus.js";
import { openLiveClient, startApiInstances, waitForSubscribers } from "../server/events/live-testing.js";
import { DRIFT_ALERTS_TOPIC, type DriftAlertEvent } from "../server/events/topics.js";
import type { RequestMeta } from "../server/graphql/context.js";
import { encodeNodeId } from "../server/graphql/node-id.js";
import { createLogger } from "../server/lib/logger.js";
import { writeLinearModelArtifact } from "../server/model/model-artifact.fixtures.js";
import { buildColumnBaselines } from "../server/monitoring/drift/index.js";
import { normalColumn } from "../server/monitoring/drift/synthetic.js";
import { QueueJobRepository } from "../server/queue/queue-job.repository.js";
import { PredictionLogRepository, type PredictionLogRow } from "../server/serving/prediction-log.repository.js";
import { serviceUrls } from "../server/testing/service-urls.js";
import { createScratchDatabase } from "../server/testing/test-database.js";
import { startTestApp } from "../server/testing/test-app.js";
import { fmt, summarize } from "./lib/stats.js";

const PARTS = new Set((process.env.BENCH_ALERT_PARTS ?? "publish,e2e").split(","));
const EVENTS = Number(process.env.BENCH_ALERT_EVENTS ?? 1_000);
const E2E_ITERATIONS = Number(process.env.BENCH_ALERT_E2E_ITERATIONS ?? 60);
const E2E_WARMUP = 3;
/** Prediction log rows written per iteration (one window), and input features per row. */
const E2E_ROWS = Number(process.env.BENCH_ALERT_E2E_ROWS ?? 1_000);
const E2E_FEATURES = 5;
/** Pause between iterations, uniform in [0, this). */
const E2E_MAX_PAUSE_MS = Number(process.env.BENCH_ALERT_E2E_MAX_PAUSE_MS ?? 1_000);
const WARMUP = 50;
const redisUrl = serviceUrls().redis;
const logger = createLogger("silent");

const SUBSCRIPTION = `subscription($filter: DriftAlertFilterInput) {
  driftAlerts(filter: $filter) { alertId deploymentId namespace kind severity message raisedAt driftingFeatures }
}`;

function alertAt(sequence: number): DriftAlertEvent {
  return {
    alertId: "00000000-0000-4000-8000-0000000000a1",
    deploymentId: "00000000-0000-4000-8000-0000000000d1",
    namespace: "bench",
    kind: "DATA_DRIFT",
    severity: "CRITICAL",
    // The send time travels in the alert: publisher and client share this process's clock.
    message: `${sequence} ${performance.now()}`,
    raisedAt: new Date().toISOString(),
    driftingFeatures: ["f0", "f1"],
  };
}

/** Publishes one alert at a time and waits for the client to receive it; returns the latencies (ms). */
async function measure(client: Client, subscriberBus: EventBus, publisher: EventBus): Promise<number[]> {
  const iterator = client.iterate<{ driftAlerts: { message: string } }>({
    query: SUBSCRIPTION,
    variables: { filter: { kinds: ["DATA_DRIFT"] } },
  });
  await waitForSubscribers(subscriberBus, DRIFT_ALERTS_TOPIC);
  const samples: number[] = [];
  for (let k = 0; k < WARMUP + EVENTS; k++) {
    await publisher.publish(DRIFT_ALERTS_TOPIC, alertAt(k));
    const next = await iterator.next();
    const received = performance.now();
    const [sequence, sentAt] = next.value!.data!.driftAlerts.message.split(" ").map(Number) as [number, number];
    if (sequence !== k) throw new Error(`expected alert ${k}, received ${sequence}`);
    if (k >= WARMUP) samples.push(received - sentAt);
  }
  await iterator.return?.();
  // The server ends the subscription when the client's "complete" arrives; wait for it, so that the
  // next run does not count this subscriber as its own.
  const counted = subscriberBus as EventBus & { subscriberCount(topic: string): Promise<number> };
  while ((await counted.subscriberCount(DRIFT_ALERTS_TOPIC)) > 0) await new Promise((resolve) => setTimeout(resolve, 5));
  return samples;
}

function report(label: string, samples: number[]): void {
  const summary = summarize(samples);
  console.log(
    `${label.padEnd(44)} n=${summary.count}  p50 ${fmt(summary.p50, 3)} ms  p99 ${fmt(summary.p99, 3)} ms  mean ${fmt(summary.mean, 3)} ms`,
  );
}

async function redisAcrossInstances(): Promise<void> {
  const instances = await startApiInstances(2, redisUrl, logger);
  const [a, b] = instances.apps as [(typeof instances.apps)[0], (typeof instances.apps)[0]];
  const workerBus = new RedisEventBus(redisUrl, logger);
  const client = openLiveClient(b.url);
  try {
    report("redis: worker bus → API instance B → client", await measure(client, b.services.events, workerBus));
    report("redis: API instance A → API instance B → client", await measure(client, b.services.events, a.services.events));
  } finally {
    await client.dispose();
    await workerBus.close();
    await instances.close();
  }
}

async function embedded(): Promise<void> {
  const app = await startTestApp({ database: "pglite", logger });
  const client = openLiveClient(app.url);
  try {
    report("embedded: in-process bus → client", await measure(client, app.services.events, app.services.events));
  } finally {
    await client.dispose();
    await app.close();
  }
}

// ── End to end: threshold crossed → runMonitoring → alert at the client ─────────────────────

const META: RequestMeta = { actor: { name: "bench" }, requestId: "alert-latency-bench", clientAddress: undefined };
/** Each iteration writes into its own window, so that only its rows can cross the threshold. */
const SLICE_MS = 10_000;
const featureNames = Array.from({ length: E2E_FEATURES }, (_, k) => `x${k}`);

interface E2eSample {
  /** t1 − t0: rows written → client has the alert. */
  total: number;
  /** runMonitoring: the job record and the queue add. */
  dispatch: number;
  /** Rows written → the job publishes (dispatch, queue pick-up, drift, rules, alert commit). */
  job: number;
  /** Queue add → the worker starts the job. */
  queueWait: number;
  /** The job's work: prediction log read, drift, rules, alert with lineage, commit, up to the publish. */
  work: number;
  /** The job's publish → client. */
  delivery: number;
}

async function graphql(url: string, query: string, variables: Record<string, unknown>) {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Record<string, any>; errors?: unknown[] };
  if (body.errors) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data!;
}

/** A READY model version with baseline statistics, served at 100 % by a new deployment. */
async function servedModel(app: PedigreeApp, artifactDir: string) {
  // prediction = x1: the prediction drifts only if x1 does, and the bench shifts x0.
  const artifact = await writeLinearModelArtifact(
    artifactDir,
    featureNames.map((_, k) => (k === 1 ? 1 : 0)),
    0,
  );
  const registered = await graphql(
    app.url,
    `mutation($input: RegisterModelVersionInput!) { registerModelVersion(input: $input) { modelVersion { id } } }`,
    {
      input: {
        namespace: "bench",
        model: "alert-latency",
        artifactUri: artifact.uri,
        artifactSha256: artifact.sha256,
        signature: artifact.signature,
        metrics: { rmse: 0.1 },
      },
    },
  );
  const modelVersionId = registered.registerModelVersion.modelVersion.id as string;
  const modelVersionKey = keyOf(modelVersionId);
  const columns: Record<string, { kind: "numeric"; values: Float64Array }> = {};
  featureNames.forEach((name, k) => {
    columns[name] = { kind: "numeric", values: normalColumn(5_000, 100 + k) };
  });
  columns.prediction = { kind: "numeric", values: columns.x1!.values };
  await app.services.training.recordBaseline(META, modelVersionKey, { baselineStats: buildColumnBaselines(columns) });
  const created = await graphql(
    app.url,
    `mutation($input: CreateDeploymentInput!) { createDeployment(input: $input) { deployment { id } } }`,
    {
      input: {
        namespace: "bench",
        name: "alert-latency",
        environment: "production",
        trafficSplit: [{ modelVersionId, percent: 100 }],
      },
    },
  );
  const deploymentId = created.createDeployment.deployment.id as string;
  return { deploymentId, deploymentKey: keyOf(deploymentId), modelVersionKey };
}

function keyOf(id: string): string {
  return Buffer.from(id, "base64url").toString("utf8").split(":")[1]!;
}

/** Rows of one window whose x0 is shifted by 1.5 standard deviations (PSI ≫ 0.2); the rest as trained. */
function driftingRows(deploymentKey: string, modelVersionKey: string, from: number, seed: number): PredictionLogRow[] {
  const columns = featureNames.map((_, k) => normalColumn(E2E_ROWS, seed * 16 + k, k === 0 ? 1.5 : 0));
  return Array.from({ length: E2E_ROWS }, (_, i) => {
    const inputs: Record<string, number> = {};
    featureNames.forEach((name, k) => {
      inputs[name] = columns[k]![i]!;
    });
    return {
      id: randomUUID(),
      deploymentId: deploymentKey,
      modelVersionId: modelVersionKey,
      requestedAt: new Date(from + Math.floor(((i + 0.5) / E2E_ROWS) * SLICE_MS)),
      inputs,
      outputs: { prediction: [inputs.x1!] },
      latencyMs: 2,
      error: null,
    };
  });
}

/**
 * `worker` runs the monitoring jobs (in-process workers) and publishes on its event bus; the client
 * is connected to `api` (the same app when embedded, another instance when on Redis).
 */
async function measureEndToEnd(worker: PedigreeApp, api: PedigreeApp): Promise<E2eSample[]> {
  const artifactDir = await mkdtemp(join(tmpdir(), "pedigree-alert-bench-"));
  const client = openLiveClient(api.url);
  try {
    const { deploymentId, deploymentKey, modelVersionKey } = await servedModel(worker, artifactDir);
    const log = new PredictionLogRepository(worker.db);
    const jobs = new QueueJobRepository(worker.db);

    // When the job publishes: the worker's bus, wrapped (the monitoring job publishes through it).
    const bus = worker.services.events;
    const publish = bus.publish.bind(bus);
    const publishedAt = new Map<string, number>();
    bus.publish = (topic, payload) => {
      if (topic === DRIFT_ALERTS_TOPIC) publishedAt.set((payload as DriftAlertEvent).alertId, performance.now());
      return publish(topic, payload);
    };
    // When the worker starts a job: the monitoring service's entry point, wrapped likewise.
    const monitoring = worker.services.monitoring;
    const monitor = monitoring.monitor.bind(monitoring);
    const startedAt = new Map<string, number>();
    monitoring.monitor = (meta, jobId, payload, publishAfterCommit, now) => {
      startedAt.set(jobId, performance.now());
      return monitor(meta, jobId, payload, publishAfterCommit, now);
    };

    const iterator = client.iterate<{ driftAlerts: { alertId: string; deploymentId: string; driftingFeatures: string[] } }>({
      query: `subscription($filter: DriftAlertFilterInput) { driftAlerts(filter: $filter) { alertId deploymentId driftingFeatures } }`,
      variables: { filter: { deploymentId, kinds: ["DATA_DRIFT"] } },
    });
    await waitForSubscribers(api.services.events, DRIFT_ALERTS_TOPIC);

    const total = E2E_WARMUP + E2E_ITERATIONS;
    // Windows in the past, one per iteration, all inside the last hour.
    const firstWindow = Math.floor((Date.now() - (total + 1) * SLICE_MS) / SLICE_MS) * SLICE_MS;
    const samples: E2eSample[] = [];
    for (let k = 0; k < total; k++) {
      const from = firstWindow + k * SLICE_MS;
      const rows = driftingRows(deploymentKey, modelVersionKey, from, k + 1);
      await log.append(rows);
      const t0 = performance.now();
      const job = await worker.services.monitoring.runMonitoring(META, deploymentKey, deploymentId, {
        from: new Date(from),
        to: new Date(from + SLICE_MS),
      });
      const dispatched = performance.now();
      const next = await iterator.next();
      const t1 = performance.now();
      if (next.done) throw new Error("the driftAlerts subscription ended");
      const alert = next.value.data!.driftAlerts;
      const alertKey = keyOf(alert.alertId);
      const published = publishedAt.get(alertKey);
      if (published === undefined) throw new Error(`alert ${alert.alertId} reached the client but was not published here`);
      if (alert.driftingFeatures.join() !== "x0") throw new Error(`unexpected drifting features ${alert.driftingFeatures}`);
      const started = startedAt.get(job.id);
      if (started === undefined) throw new Error(`job ${job.id} did not run in this process`);
      if (k >= E2E_WARMUP) {
        samples.push({
          total: t1 - t0,
          dispatch: dispatched - t0,
          job: published - t0,
          queueWait: started - dispatched,
          work: published - started,
          delivery: t1 - published,
        });
      }
      // Resolved, the rule raises a new alert on the next window; wait for the job to finish first.
      await worker.services.monitoring.resolveAlert(META, alertKey, encodeNodeId("Alert", alertKey));
      for (;;) {
        const [record] = await jobs.findByIds([job.id]);
        if (record?.status === "COMPLETED") break;
        if (record?.status === "FAILED") throw new Error(`monitoring job failed: ${record.error}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      // Crossings come at random moments, not in step with a polling worker's cycle.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * E2E_MAX_PAUSE_MS));
    }
    await iterator.return?.();
    return samples;
  } finally {
    await client.dispose();
    await rm(artifactDir, { recursive: true, force: true });
  }
}

function reportEndToEnd(label: string, samples: E2eSample[]): void {
  console.log(`${label} (n=${samples.length}, ${E2E_ROWS} rows × ${E2E_FEATURES} features per window)`);
  const parts: Array<[string, keyof E2eSample]> = [
    ["rows written → client (t1 − t0)", "total"],
    ["  of which runMonitoring (record + queue add)", "dispatch"],
    ["  rows written → job publishes", "job"],
    ["    queue add → worker starts the job", "queueWait"],
    ["    job work until the publish", "work"],
    ["  publish → client", "delivery"],
  ];
  for (const [name, field] of parts) {
    const summary = summarize(samples.map((sample) => sample[field]));
    console.log(
      `  ${name.padEnd(46)} p50 ${fmt(summary.p50, 1).padStart(7)} ms  p99 ${fmt(summary.p99, 1).padStart(7)} ms  mean ${fmt(summary.mean, 1).padStart(7)} ms`,
    );
  }
}

async function endToEndEmbedded(): Promise<void> {
  const app = await startTestApp({ database: "pglite", logger, config: { inProcessWorkers: true } });
  try {
    reportEndToEnd(
      "end to end, embedded (PGlite, BullMQ on embedded PostgreSQL, in-process bus)",
      await measureEndToEnd(app, app),
    );
  } finally {
    await app.close();
  }
}

/**
 * Instance A runs the workers (BullMQ on Redis) and publishes; the client is on instance B. BullMQ's
 * keys go to their own Redis database, so that no other process's workers take these jobs (Redis
 * pub/sub is server-wide, so the alerts still travel the way they always do).
 */
async function endToEndRedis(): Promise<void> {
  const scratch = await createScratchDatabase();
  const isolated = new URL(redisUrl);
  isolated.pathname = `/${process.env.BENCH_ALERT_REDIS_DB ?? 11}`;
  const config = {
    ...loadConfig({}),
    port: 0,
    host: "127.0.0.1",
    databaseUrl: scratch.url,
    redisUrl: isolated.href,
    graphProjector: false,
    rateLimitPerMinute: 0,
    // The figure is the alert's path; subscribers connect without tokens.
    anonymousRole: "ADMIN" as const,
  };
  const apps: PedigreeApp[] = [];
  try {
    apps.push(await startApp({ config: { ...config, inProcessWorkers: true }, inMemory: true, logger }));
    apps.push(await startApp({ config: { ...config, inProcessWorkers: false }, inMemory: true, logger }));
    reportEndToEnd(
      "end to end, Postgres + Redis (worker on instance A, client on instance B)",
      await measureEndToEnd(apps[0]!, apps[1]!),
    );
  } finally {
    await Promise.allSettled(apps.map((app) => app.close()));
    await scratch.drop();
  }
}

if (PARTS.has("publish")) {
  console.log(`alert latency: ${EVENTS} alerts per run after ${WARMUP} warm-up, one in flight at a time`);
  await redisAcrossInstances();
  await embedded();
}
if (PARTS.has("e2e")) {
  console.log(`end to end: ${E2E_ITERATIONS} threshold crossings per run after ${E2E_WARMUP} warm-up, one at a time`);
  await endToEndRedis();
  await endToEndEmbedded();
}
