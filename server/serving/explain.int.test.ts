import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportOnnx, onnxSignature, train } from "../../workers/training/index.js";
import { syntheticClassification, syntheticRegression } from "../../workers/training/synthetic-data.js";
import type { TrainedModel, TrainingData } from "../../workers/training/types.js";
import { loadConfig } from "../config.js";
import { buildColumnBaselines } from "../monitoring/drift/index.js";
import { type TestApp, startTestApp } from "../testing/test-app.js";
import { CREATE_DEPLOYMENT, REGISTER_MODEL_VERSION } from "./serving.fixtures.js";

const NAMESPACE = "explain";
const META = { actor: { name: "test" }, requestId: "explain-test", clientAddress: undefined };
const keyOf = (id: string) => Buffer.from(id, "base64url").toString("utf8").split(":")[1]!;

const PREDICT_EXPLAINED = `mutation($input: PredictInput!) {
  predict(input: $input) {
    predictions {
      predictionId
      outputs
      explanation { space outputs { output baseline value attributions { feature attribution } } }
    }
  }
}`;

interface Explanation {
  space: string;
  outputs: Array<{
    output: string;
    baseline: number;
    value: number;
    attributions: Array<{ feature: string; attribution: number }>;
  }>;
}

interface Trained {
  model: TrainedModel;
  data: TrainingData;
  /** Feature means of the training data: the baseline the attributions are measured from. */
  means: number[];
}

let app: TestApp;
let dir: string;
let logistic: Trained;
let linear: Trained;

async function trainModel(spec: Parameters<typeof train>[0], data: TrainingData): Promise<Trained> {
  const model = await train(spec, data);
  const width = data.featureNames.length;
  const rows = data.features.length / width;
  const means = data.featureNames.map((_, f) => {
    let sum = 0;
    for (let r = 0; r < rows; r++) sum += data.features[r * width + f]!;
    return sum / rows;
  });
  return { model, data, means };
}

/** Writes the model's ONNX file, registers it as a version (with its baseline when asked) and deploys it. */
async function deploy(name: string, trained: Trained, options: { baseline: boolean }): Promise<string> {
  const bytes = exportOnnx(trained.model);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const path = join(dir, `${sha256}.onnx`);
  await writeFile(path, bytes);
  const registered = await app.graphql(REGISTER_MODEL_VERSION, {
    input: {
      namespace: NAMESPACE,
      model: name,
      artifactUri: pathToFileURL(path).href,
      artifactSha256: sha256,
      signature: { ...onnxSignature(trained.model) },
    },
  });
  expect(registered.errors).toBeUndefined();
  const versionId: string = registered.data!.registerModelVersion.modelVersion.id;
  if (options.baseline) {
    const width = trained.data.featureNames.length;
    const columns = Object.fromEntries(
      trained.data.featureNames.map((feature, f) => [
        feature,
        { kind: "numeric" as const, values: trained.data.features.filter((_, i) => i % width === f) },
      ]),
    );
    await app.services.training.recordBaseline(META, keyOf(versionId), { baselineStats: buildColumnBaselines(columns) });
  }
  const created = await app.graphql(CREATE_DEPLOYMENT, {
    input: { namespace: NAMESPACE, name, environment: "production", trafficSplit: [{ modelVersionId: versionId, percent: 100 }] },
  });
  expect(created.errors).toBeUndefined();
  return versionId;
}

async function post(name: string, body: unknown) {
  const response = await fetch(`${app.url}/v1/deployments/${name}/predict?namespace=${NAMESPACE}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

function rowsOf(trained: Trained, count: number): Array<Record<string, number>> {
  const width = trained.data.featureNames.length;
  return Array.from({ length: count }, (_, r) =>
    Object.fromEntries(trained.data.featureNames.map((feature, f) => [feature, trained.data.features[r * width + f]!])),
  );
}

/** The defining identity: baseline + Σ attributions = value, for every explained output. */
function expectSumIdentity(explanation: Explanation): void {
  for (const output of explanation.outputs) {
    const sum = output.attributions.reduce((total, entry) => total + entry.attribution, output.baseline);
    expect(Math.abs(sum - output.value)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(output.value)));
  }
}

/** Independent reference from the trained float64 weights: w_j / scale_j · (x_j − mean_j) (× target scale for regression). */
function referenceAttribution(trained: Trained, row: Record<string, number>, f: number): number {
  const { model } = trained;
  const scale = model.targetScaler?.scale ?? 1;
  const weight = (model.network.layers[0]!.weights[f]! / model.standardizer.scale[f]!) * scale;
  return weight * (Math.fround(row[model.featureNames[f]!]!) - trained.means[f]!);
}

beforeAll(async () => {
  app = await startTestApp({ config: { serving: { ...loadConfig({}).serving, routeCacheMs: 0 } } });
  dir = await mkdtemp(join(tmpdir(), "pedigree-explain-"));
  logistic = await trainModel(
    { model: "logistic_regression", seed: 21, maxEpochs: 20, importance: false },
    syntheticClassification({ rows: 400, features: 3, seed: 21 }),
  );
  linear = await trainModel(
    { model: "linear_regression", seed: 22, maxEpochs: 30, importance: false },
    syntheticRegression({ rows: 400, features: 3, seed: 22, noise: 0.1 }).data,
  );
  const mlp = await trainModel(
    { model: "mlp", task: "classification", seed: 23, maxEpochs: 3, hiddenLayers: [4], importance: false },
    syntheticClassification({ rows: 200, features: 3, seed: 23 }),
  );
  await deploy("churn-logistic", logistic, { baseline: true });
  await deploy("price-linear", linear, { baseline: true });
  await deploy("churn-mlp", mlp, { baseline: true });
  const unbaselined = await trainModel(
    { model: "logistic_regression", seed: 24, maxEpochs: 5, importance: false },
    syntheticClassification({ rows: 200, features: 3, seed: 24 }),
  );
  await deploy("churn-no-baseline", unbaselined, { baseline: false });
}, 120_000);

afterAll(async () => {
  await app?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("predict with explain: true", () => {
  it("REST: returns per-row logit attributions of a logistic regression that sum to the served logit", async () => {
    const rows = rowsOf(logistic, 6);
    const { status, body } = await post("churn-logistic", { rows, explain: true });
    expect(status).toBe(200);
    const positive = logistic.model.classes![1]!;
    body.predictions.forEach((prediction: { outputs: any; explanation: Explanation }, r: number) => {
      const { explanation } = prediction;
      expect(explanation.space).toBe("LOGIT");
      expect(explanation.outputs.map((output) => output.output)).toEqual([positive]);
      expectSumIdentity(explanation);
      const [output] = explanation.outputs;
      // The explained logit is the one onnxruntime served (float32 arithmetic there, float64 here).
      expect(1 / (1 + Math.exp(-output!.value))).toBeCloseTo(prediction.outputs.probabilities[positive], 5);
      expect(output!.attributions.map((entry) => entry.feature)).toEqual(logistic.model.featureNames);
      output!.attributions.forEach((entry, f) => {
        const reference = referenceAttribution(logistic, rows[r]!, f);
        expect(Math.abs(entry.attribution - reference)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(reference)));
      });
    });
  });

  it("REST: a row at the baseline means has zero attributions and the baseline as its value", async () => {
    const atMeans = Object.fromEntries(logistic.model.featureNames.map((feature, f) => [feature, logistic.means[f]!]));
    const { status, body } = await post("churn-logistic", { rows: [atMeans], explain: true });
    expect(status).toBe(200);
    const [output] = (body.predictions[0].explanation as Explanation).outputs;
    // Only float32 rounding of the sent means separates the row from the baseline.
    for (const entry of output!.attributions) expect(Math.abs(entry.attribution)).toBeLessThan(1e-5);
    expect(output!.value).toBeCloseTo(output!.baseline, 5);
  });

  it("REST: leaves explanations out unless asked", async () => {
    const { status, body } = await post("churn-logistic", { rows: rowsOf(logistic, 1) });
    expect(status).toBe(200);
    expect(body.predictions[0]).not.toHaveProperty("explanation");
    const off = await post("churn-logistic", { rows: rowsOf(logistic, 1), explain: false });
    expect(off.body.predictions[0]).not.toHaveProperty("explanation");
  });

  it("GraphQL: explains a linear regression's prediction in target units", async () => {
    const rows = rowsOf(linear, 5);
    const result = await app.graphql(PREDICT_EXPLAINED, {
      input: { namespace: NAMESPACE, deployment: "price-linear", rows, explain: true },
    });
    expect(result.errors).toBeUndefined();
    result.data!.predict.predictions.forEach((prediction: { outputs: any; explanation: Explanation }, r: number) => {
      expect(prediction.explanation.space).toBe("PREDICTION");
      expectSumIdentity(prediction.explanation);
      const [output] = prediction.explanation.outputs;
      expect(output!.output).toBe("prediction");
      expect(output!.value).toBeCloseTo(prediction.outputs.prediction, 3);
      output!.attributions.forEach((entry, f) => {
        const reference = referenceAttribution(linear, rows[r]!, f);
        expect(Math.abs(entry.attribution - reference)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(reference)));
      });
    });
  });

  it("GraphQL: explanation is null when explain is not set", async () => {
    const result = await app.graphql(PREDICT_EXPLAINED, {
      input: { namespace: NAMESPACE, deployment: "price-linear", rows: rowsOf(linear, 1) },
    });
    expect(result.errors).toBeUndefined();
    expect(result.data!.predict.predictions[0].explanation).toBeNull();
  });
});

describe("explain refused", () => {
  it("REST: an MLP is not linear — 400 BAD_USER_INPUT on explain", async () => {
    const { status, body } = await post("churn-mlp", { rows: rowsOf(logistic, 1), explain: true });
    expect(status).toBe(400);
    expect(body.errors[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "explain" });
    expect(body.errors[0].message).toMatch(/linear models.*Relu/);
    // The same model answers without explanations.
    expect((await post("churn-mlp", { rows: rowsOf(logistic, 1) })).status).toBe(200);
  });

  it("GraphQL: an MLP is refused on input.explain", async () => {
    const result = await app.graphql(PREDICT_EXPLAINED, {
      input: { namespace: NAMESPACE, deployment: "churn-mlp", rows: rowsOf(logistic, 1), explain: true },
    });
    expect(result.data).toBeNull();
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.explain" });
  });

  it("a version without baseline statistics is refused, naming the missing baseline", async () => {
    const { status, body } = await post("churn-no-baseline", { rows: rowsOf(logistic, 1), explain: true });
    expect(status).toBe(400);
    expect(body.errors[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "explain" });
    expect(body.errors[0].message).toMatch(/no baseline statistics/);
  });

  it("REST: explain must be a boolean", async () => {
    const { status, body } = await post("churn-logistic", { rows: rowsOf(logistic, 1), explain: "yes" });
    expect(status).toBe(400);
    expect(body.errors[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "explain" });
  });
});
