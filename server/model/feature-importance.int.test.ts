import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registryMetrics } from "../../workers/processors/train-model/model-evaluation.js";
import { exportOnnx, onnxSignature, train } from "../../workers/training/index.js";
import { syntheticClassification } from "../../workers/training/synthetic-data.js";
import { type TestApp, startTestApp } from "../testing/test-app.js";

const REGISTER = `mutation($input: RegisterModelVersionInput!) {
  registerModelVersion(input: $input) { modelVersion { id featureImportance { feature importance } } }
}`;
const IMPORTANCE = `query($id: ID!) { node(id: $id) { ... on ModelVersion { featureImportance { feature importance } } } }`;

let app: TestApp;
let dir: string;

beforeAll(async () => {
  app = await startTestApp();
  dir = await mkdtemp(join(tmpdir(), "pedigree-importance-"));
}, 120_000);

afterAll(async () => {
  await app?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function register(model: string, bytes: Uint8Array, signature: object, metrics: Record<string, number>) {
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const path = join(dir, `${sha256}.onnx`);
  await writeFile(path, bytes);
  const result = await app.graphql(REGISTER, {
    input: { namespace: "importance", model, artifactUri: pathToFileURL(path).href, artifactSha256: sha256, signature, metrics },
  });
  expect(result.errors).toBeUndefined();
  return result.data!.registerModelVersion.modelVersion as { id: string; featureImportance: unknown[] };
}

describe("ModelVersion.featureImportance", () => {
  it("lists a trained model's permutation importance from its metrics, most important first", async () => {
    const data = syntheticClassification({ rows: 400, features: 4, seed: 31 });
    const model = await train({ model: "logistic_regression", seed: 31, maxEpochs: 20, importance: { repeats: 3 } }, data);
    // The metrics exactly as the training worker registers them.
    const metrics = registryMetrics(model.metrics.validation, model.importance);
    const version = await register("importance-trained", exportOnnx(model), { ...onnxSignature(model) }, metrics);
    const expected = [...model.importance]
      .sort((a, b) => b.importance - a.importance || (a.feature < b.feature ? -1 : 1))
      .map(({ feature, importance }) => ({ feature, importance }));
    expect(expected).toHaveLength(4);
    // Permutation importance of a trained separable model is not all zero: the order is meaningful.
    expect(expected[0]!.importance).toBeGreaterThan(0);
    expect(version.featureImportance).toEqual(expected);
    const read = await app.graphql(IMPORTANCE, { id: version.id });
    expect(read.errors).toBeUndefined();
    expect(read.data!.node.featureImportance).toEqual(expected);
  });

  it("is an empty list when the version has no importance metrics", async () => {
    const data = syntheticClassification({ rows: 200, features: 2, seed: 32 });
    const model = await train({ model: "logistic_regression", seed: 32, maxEpochs: 5, importance: false }, data);
    const version = await register("importance-none", exportOnnx(model), { ...onnxSignature(model) }, { accuracy: 0.5 });
    expect(version.featureImportance).toEqual([]);
  });
});
