import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config.js";
import { createLogger } from "../lib/logger.js";
import { createRepositories } from "../repositories.js";
import { type TestApp, startTestApp } from "../testing/test-app.js";
import { PredictionService } from "./prediction.service.js";
import {
  CREATE_DEPLOYMENT,
  type ModelArtifactFile,
  PREDICT,
  REGISTER_MODEL_VERSION,
  trainLogisticArtifact,
} from "./serving.fixtures.js";

const NAMESPACE = "serving";
const keyOf = (id: string) => Buffer.from(id, "base64url").toString("utf8").split(":")[1]!;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let app: TestApp;
let dir: string;
let modelA: ModelArtifactFile;
let modelB: ModelArtifactFile;
let versionA: string;
let versionB: string;
let deploymentId: string;

async function registerVersion(model: string, artifact: ModelArtifactFile): Promise<string> {
  const result = await app.graphql(REGISTER_MODEL_VERSION, {
    input: {
      namespace: NAMESPACE,
      model,
      artifactUri: artifact.uri,
      artifactSha256: artifact.sha256,
      signature: artifact.signature,
    },
  });
  expect(result.errors).toBeUndefined();
  return result.data!.registerModelVersion.modelVersion.id;
}

async function createDeployment(name: string, split?: Array<{ modelVersionId: string; percent: number }>): Promise<string> {
  const result = await app.graphql(CREATE_DEPLOYMENT, {
    input: { namespace: NAMESPACE, name, environment: "production", ...(split ? { trafficSplit: split } : {}) },
  });
  expect(result.errors).toBeUndefined();
  return result.data!.createDeployment.deployment.id;
}

async function post(name: string, body: unknown, query = `?namespace=${NAMESPACE}`, headers: Record<string, string> = {}) {
  const response = await fetch(`${app.url}/v1/deployments/${encodeURIComponent(name)}/predict${query}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as Record<string, any> };
}

/** Rows of `featureCount` features with values drawn around the synthetic data's range. */
function sampleRows(featureNames: string[], count: number, seed: number): Array<Record<string, number>> {
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  return Array.from({ length: count }, () => Object.fromEntries(featureNames.map((name) => [name, 20 * next() - 10])));
}

/** What onnxruntime itself answers for the rows (the reference for every served answer). */
async function rawProbabilities(artifact: ModelArtifactFile, rows: Array<Record<string, number>>): Promise<number[]> {
  const session = await ort.InferenceSession.create(artifact.bytes);
  const values = Float32Array.from(rows.flatMap((row) => artifact.featureNames.map((name) => row[name]!)));
  const result = await session.run({ features: new ort.Tensor("float32", values, [rows.length, artifact.featureNames.length]) });
  await session.release();
  const probabilities = result.probabilities!.data as Float32Array;
  return rows.map((_, r) => probabilities[r * 2 + 1]!);
}

async function metricValue(name: string, labels: string): Promise<number> {
  const text = await (await fetch(`${app.url}/metrics`)).text();
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${name}{${labels}}`));
  return line ? Number(line.split(" ").at(-1)) : 0;
}

beforeAll(async () => {
  app = await startTestApp({
    config: {
      serving: {
        ...loadConfig({}).serving,
        // Routes are re-read on every request, so split changes apply at once in these tests.
        routeCacheMs: 0,
        batchWindowMicros: 5_000,
        maxRows: 1_000,
        maxBodyBytes: 64 * 1024,
      },
    },
  });
  dir = await mkdtemp(join(tmpdir(), "pedigree-serving-"));
  modelA = await trainLogisticArtifact(dir, { features: 3, seed: 11 });
  modelB = await trainLogisticArtifact(dir, { features: 3, seed: 12 });
  versionA = await registerVersion("churn", modelA);
  versionB = await registerVersion("churn", modelB);
  deploymentId = await createDeployment("churn-prod", [{ modelVersionId: versionA, percent: 100 }]);
}, 120_000);

afterAll(async () => {
  await app?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("POST /v1/deployments/:name/predict", () => {
  it("answers rows with onnxruntime's probabilities, the model version and a predictionId per row", async () => {
    const rows = sampleRows(modelA.featureNames, 5, 1);
    const { status, body } = await post("churn-prod", { rows });
    expect(status).toBe(200);
    expect(body.deployment).toBe(`${NAMESPACE}/churn-prod`);
    expect(body.modelVersion).toEqual({ id: versionA, version: 1 });
    expect(body.predictions).toHaveLength(5);
    const expected = await rawProbabilities(modelA, rows);
    body.predictions.forEach((prediction: { predictionId: string; outputs: any }, r: number) => {
      expect(prediction.predictionId).toMatch(UUID);
      expect(prediction.outputs.probabilities["1"]).toBeCloseTo(expected[r]!, 6);
      expect(prediction.outputs.probabilities["0"]).toBeCloseTo(1 - expected[r]!, 6);
      expect(prediction.outputs.label).toBe(expected[r]! > 0.5 ? "1" : "0");
    });
    expect(new Set(body.predictions.map((p: { predictionId: string }) => p.predictionId)).size).toBe(5);
  });

  it("answers columns and value lists the same as rows", async () => {
    const rows = sampleRows(modelA.featureNames, 4, 2);
    const columns = Object.fromEntries(modelA.featureNames.map((name) => [name, rows.map((row) => row[name])]));
    const lists = rows.map((row) => modelA.featureNames.map((name) => row[name]));
    const [byRows, byColumns, byLists] = await Promise.all([
      post("churn-prod", { rows }),
      post("churn-prod", { columns }),
      post("churn-prod", { rows: lists }),
    ]);
    const outputs = (response: { body: Record<string, any> }) =>
      response.body.predictions.map((p: { outputs: unknown }) => p.outputs);
    expect(byColumns.status).toBe(200);
    expect(outputs(byColumns)).toEqual(outputs(byRows));
    expect(outputs(byLists)).toEqual(outputs(byRows));
  });
});

describe("GraphQL predict", () => {
  it("returns per-row outputs, the answering model version and predictionIds", async () => {
    const rows = sampleRows(modelA.featureNames, 3, 3);
    const result = await app.graphql(PREDICT, { input: { namespace: NAMESPACE, deployment: "churn-prod", rows } });
    expect(result.errors).toBeUndefined();
    const payload = result.data!.predict;
    expect(payload.deployment.name).toBe("churn-prod");
    expect(payload.modelVersion).toEqual({ id: versionA, version: 1 });
    expect(payload.latencyMs).toBeGreaterThan(0);
    const expected = await rawProbabilities(modelA, rows);
    payload.predictions.forEach((prediction: { predictionId: string; outputs: any }, r: number) => {
      expect(prediction.predictionId).toMatch(UUID);
      expect(prediction.outputs.probabilities["1"]).toBeCloseTo(expected[r]!, 6);
    });
  });

  it("names the field of bad input and the missing deployment with typed codes", async () => {
    const rows = [{ ...sampleRows(modelA.featureNames, 1, 4)[0], bogus: 1 }];
    const cases: Array<[Record<string, unknown>, string, string | undefined]> = [
      [{ namespace: NAMESPACE, deployment: "churn-prod", rows }, "BAD_USER_INPUT", "input.rows[0].bogus"],
      [
        { namespace: NAMESPACE, deployment: "churn-prod", rows: [{ x0: 1, x1: "2", x2: 3 }] },
        "BAD_USER_INPUT",
        "input.rows[0].x1",
      ],
      [{ namespace: NAMESPACE, deployment: "churn-prod", columns: { x0: [1], x1: [2] } }, "BAD_USER_INPUT", "input.columns.x2"],
      [{ namespace: NAMESPACE, deployment: "nope", rows }, "NOT_FOUND", "input.deployment"],
    ];
    for (const [input, code, field] of cases) {
      const result = await app.graphql(PREDICT, { input });
      expect(result.data).toBeNull();
      expect(result.errors?.[0]?.extensions).toMatchObject({ code, field });
    }
  });
});

describe("routing by the traffic split", () => {
  it("sends traffic to each model version in proportion to its percent, and one routing key to one version", async () => {
    await createDeployment("churn-split", [
      { modelVersionId: versionA, percent: 70 },
      { modelVersionId: versionB, percent: 30 },
    ]);
    const row = sampleRows(modelA.featureNames, 1, 5);
    const answered: string[] = [];
    for (let batch = 0; batch < 10; batch++) {
      const responses = await Promise.all(Array.from({ length: 40 }, () => post("churn-split", { rows: row })));
      for (const response of responses) answered.push(response.body.modelVersion.id);
    }
    const shareA = answered.filter((id) => id === versionA).length / answered.length;
    // 400 draws at p = 0.7: σ ≈ 0.023; ±0.1 is over 4σ.
    expect(shareA).toBeGreaterThan(0.6);
    expect(shareA).toBeLessThan(0.8);
    expect(answered).toContain(versionB);

    for (const key of ["user-1", "user-2", "user-3", "user-4"]) {
      const versions = new Set<string>();
      for (let i = 0; i < 10; i++) versions.add((await post("churn-split", { rows: row, routingKey: key })).body.modelVersion.id);
      expect(versions.size).toBe(1);
    }
    const viaHeader = await post("churn-split", { rows: row }, `?namespace=${NAMESPACE}`, { "x-pedigree-routing-key": "user-1" });
    expect(viaHeader.body.modelVersion.id).toBe(
      (await post("churn-split", { rows: row, routingKey: "user-1" })).body.modelVersion.id,
    );
  });
});

describe("micro-batching", () => {
  it("answers 32 concurrent requests with far fewer session.run calls, each request getting its own rows", async () => {
    const label = `model_version_id="${versionA}"`;
    const before = await metricValue("pedigree_predict_batches_total", label);
    const rows = sampleRows(modelA.featureNames, 32, 6);
    const responses = await Promise.all(rows.map((row) => post("churn-prod", { rows: [row] })));
    const runs = (await metricValue("pedigree_predict_batches_total", label)) - before;
    expect(runs).toBeGreaterThanOrEqual(1);
    expect(runs).toBeLessThanOrEqual(8);
    const expected = await rawProbabilities(modelA, rows);
    responses.forEach((response, r) => {
      expect(response.status).toBe(200);
      expect(response.body.predictions[0].outputs.probabilities["1"]).toBeCloseTo(expected[r]!, 6);
    });
  });
});

describe("bad input", () => {
  const good = () => sampleRows(["x0", "x1", "x2"], 1, 7)[0]!;
  const cases: Array<[string, string | unknown, number, string, string | undefined]> = [
    ["unknown feature", { rows: [{ ...good(), bogus: 1 }] }, 400, "BAD_USER_INPUT", "rows[0].bogus"],
    ["missing feature", { rows: [{ x0: 1, x1: 2 }] }, 400, "BAD_USER_INPUT", "rows[0].x2"],
    ["string value", { rows: [{ x0: 1, x1: "abc", x2: 3 }] }, 400, "BAD_USER_INPUT", "rows[0].x1"],
    ["null (NaN) value", { rows: [good(), { x0: null, x1: 1, x2: 3 }] }, 400, "BAD_USER_INPUT", "rows[1].x0"],
    ["string NaN", { rows: [{ x0: "NaN", x1: 1, x2: 3 }] }, 400, "BAD_USER_INPUT", "rows[0].x0"],
    ["nested value", { rows: [{ x0: [1], x1: 1, x2: 3 }] }, 400, "BAD_USER_INPUT", "rows[0].x0"],
    ["row of wrong length", { rows: [[1, 2]] }, 400, "BAD_USER_INPUT", "rows[0]"],
    ["row that is not an object", { rows: [5] }, 400, "BAD_USER_INPUT", "rows[0]"],
    ["columns of unequal length", { columns: { x0: [1, 2], x1: [1, 2], x2: [1] } }, 400, "BAD_USER_INPUT", "columns.x2"],
    ["column not a list", { columns: { x0: 1, x1: [1], x2: [1] } }, 400, "BAD_USER_INPUT", "columns.x0"],
    ["no rows", { rows: [] }, 400, "BAD_USER_INPUT", "rows"],
    ["too many rows", { rows: Array.from({ length: 1_001 }, () => [1, 2, 3]) }, 400, "BAD_USER_INPUT", "rows"],
    ["neither rows nor columns", {}, 400, "BAD_USER_INPUT", "rows"],
    ["rows and columns", { rows: [good()], columns: { x0: [1] } }, 400, "BAD_USER_INPUT", "columns"],
    ["unknown body field", { rowz: [good()] }, 400, "BAD_USER_INPUT", "rowz"],
    ["body not an object", [good()], 400, "BAD_USER_INPUT", "body"],
    ["routing key not a string", { rows: [good()], routingKey: 5 }, 400, "BAD_USER_INPUT", "routingKey"],
    ["malformed JSON", '{"rows": [{"x0": 1,', 400, "BAD_USER_INPUT", "body"],
    ["NaN literal", '{"rows": [{"x0": NaN, "x1": 1, "x2": 2}]}', 400, "BAD_USER_INPUT", "body"],
    ["oversized body", JSON.stringify({ rows: [good()], pad: "x".repeat(70 * 1024) }), 413, "PAYLOAD_TOO_LARGE", "body"],
  ];

  it.each(cases)("%s: a 4xx naming the field, nothing logged, no internals", async (_, body, status, code, field) => {
    await app.services.prediction.flush();
    const before = await app.countRows(["prediction_log"]);
    const response = await post("churn-prod", body);
    expect(response.status).toBe(status);
    expect(response.body.errors[0].extensions).toMatchObject({ code, field });
    if (field) expect(response.body.errors[0].message).toContain(field === "body" ? "body" : `"${field}"`);
    expect(response.text).not.toMatch(/at [\w.<>]+ \(|SELECT |prisma|node_modules|\.ts:\d/);
    await app.services.prediction.flush();
    expect(await app.countRows(["prediction_log"])).toEqual(before);
  });

  it("refuses an unknown deployment (404), a missing namespace (400) and a deployment without traffic (409)", async () => {
    await createDeployment("churn-empty");
    const unknown = await post("no-such-deployment", { rows: [good()] });
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors[0].extensions).toMatchObject({ code: "NOT_FOUND", field: "deployment" });
    const otherNamespace = await post("churn-prod", { rows: [good()] }, "?namespace=elsewhere");
    expect(otherNamespace.status).toBe(404);
    const noNamespace = await post("churn-prod", { rows: [good()] }, "");
    expect(noNamespace.status).toBe(400);
    expect(noNamespace.body.errors[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "namespace" });
    const empty = await post("churn-empty", { rows: [good()] });
    expect(empty.status).toBe(409);
    expect(empty.body.errors[0]).toMatchObject({ extensions: { code: "CONFLICT" } });
    expect(empty.body.errors[0].message).toContain("no traffic");
  });

  it("refuses to serve an artifact whose bytes no longer match the registered SHA-256 (503)", async () => {
    const artifact = await trainLogisticArtifact(dir, { features: 3, seed: 13 });
    const version = await registerVersion("tampered", artifact);
    await createDeployment("tampered-prod", [{ modelVersionId: version, percent: 100 }]);
    await writeFile(artifact.path, Buffer.concat([Buffer.from(artifact.bytes), Buffer.from([0])]));
    const response = await post("tampered-prod", { rows: [good()] });
    expect(response.status).toBe(503);
    expect(response.body.errors[0].extensions.code).toBe("SERVICE_UNAVAILABLE");
    expect(response.body.errors[0].message).toContain("SHA-256");
    expect(response.text).not.toContain(artifact.path);
  });
});

describe("serving statistics and the prediction log", () => {
  it("counts requests, errors and latency per model version in GraphQL and /metrics, and logs every row", async () => {
    const id = await createDeployment("churn-stats", [{ modelVersionId: versionB, percent: 100 }]);
    const rows = sampleRows(modelB.featureNames, 3, 8);
    const answers: Array<Record<string, any>> = [];
    for (let i = 0; i < 5; i++) answers.push((await post("churn-stats", { rows })).body);
    await post("churn-stats", { rows: [{ x0: "bad" }] });
    await app.services.prediction.flush();

    const result = await app.graphql(
      `query($ns: String!) { deployment(namespace: $ns, name: "churn-stats") {
        servingStats(windowSeconds: 600) { modelVersion { id } requests errors errorRate p50Ms p99Ms }
      } }`,
      { ns: NAMESPACE },
    );
    expect(result.errors).toBeUndefined();
    const [stats] = result.data!.deployment.servingStats;
    expect(stats).toMatchObject({ modelVersion: { id: versionB }, requests: 6, errors: 1 });
    expect(stats.errorRate).toBeCloseTo(1 / 6, 9);
    expect(stats.p50Ms).toBeGreaterThan(0);
    expect(stats.p99Ms).toBeGreaterThanOrEqual(stats.p50Ms);

    const labels = `deployment="${NAMESPACE}/churn-stats",model_version="churn:2"`;
    expect(await metricValue("pedigree_predict_requests_total", labels)).toBe(6);
    expect(await metricValue("pedigree_predict_errors_total", labels)).toBe(1);
    expect(await metricValue("pedigree_predict_latency_seconds_count", labels)).toBe(6);

    const repos = createRepositories(app.db);
    const window = { from: new Date(Date.now() - 60_000), to: new Date(Date.now() + 1_000), limit: 100 };
    const logged = await repos.predictionLog.listWindow(keyOf(id), window);
    expect(logged).toHaveLength(15);
    const first = answers[0]!.predictions[0];
    const row = logged.find((candidate) => candidate.id === first.predictionId)!;
    expect(row).toMatchObject({ modelVersionId: keyOf(versionB), inputs: rows[0], outputs: first.outputs, error: null });
    expect(row.latencyMs).toBeGreaterThan(0);
    expect(await repos.predictionLog.listWindow(keyOf(id), { ...window, modelVersionId: keyOf(versionA) })).toEqual([]);

    const direct = await repos.servingStats.window(keyOf(id), keyOf(versionB), window.from, window.to);
    expect(direct).toMatchObject({ requests: 6, errors: 1 });
    expect((await repos.servingStats.window(keyOf(deploymentId), null, window.from, window.to)).requests).toBeGreaterThan(0);
  });

  it("refuses a servingStats window outside 1 s – 7 days", async () => {
    const result = await app.graphql(
      `query($ns: String!) { deployment(namespace: $ns, name: "churn-prod") { servingStats(windowSeconds: 0) { requests } } }`,
      { ns: NAMESPACE },
    );
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "windowSeconds" });
  });

  it("samples by PEDIGREE_PREDICTION_SAMPLE_RATE and writes buffered rows on close", async () => {
    const repos = createRepositories(app.db);
    const base = { ...loadConfig({}).serving, routeCacheMs: 0, flushIntervalMs: 600_000 };
    const logger = createLogger("silent");
    const id = await createDeployment("churn-sampled", [{ modelVersionId: versionA, percent: 100 }]);
    const rows = sampleRows(modelA.featureNames, 50, 9);
    const window = { from: new Date(Date.now() - 60_000), to: new Date(Date.now() + 60_000), limit: 1_000 };

    const none = new PredictionService({ db: app.db, ...repos }, { ...base, predictionSampleRate: 0 }, logger);
    await none.predict({ namespace: NAMESPACE, deployment: "churn-sampled", payload: { rows }, fieldPrefix: "" });
    await none.close();
    expect(await repos.predictionLog.listWindow(keyOf(id), window)).toHaveLength(0);

    const all = new PredictionService({ db: app.db, ...repos }, base, logger);
    const result = await all.predict({ namespace: NAMESPACE, deployment: "churn-sampled", payload: { rows }, fieldPrefix: "" });
    // The flush interval is 10 minutes: only close() can have written these.
    await all.close();
    const logged = await repos.predictionLog.listWindow(keyOf(id), window);
    expect(logged.map((row) => row.id).sort()).toEqual(result.predictions.map((p) => p.predictionId).sort());
    expect((await repos.servingStats.window(keyOf(id), null, window.from, window.to)).requests).toBe(2);
  });
});
