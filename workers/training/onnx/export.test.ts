import onnxProto from "onnx-proto";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { loadIris } from "../fixtures/iris.js";
import { predict } from "../predict.js";
import { SeededRandom } from "../random.js";
import { syntheticClassification, syntheticRegression } from "../synthetic-data.js";
import { train } from "../train.js";
import type { TrainedModel, TrainingData, TrainingSpec } from "../types.js";
import { exportOnnx } from "./export.js";
import { ONNX_IR_VERSION, ONNX_OPSET_VERSION, onnxSignature } from "./signature.js";

const TOLERANCE = 1e-5;

/**
 * Random raw inputs around the data's own ranges (so standardization matters), rounded to float32 so
 * the TypeScript model and onnxruntime see the same numbers.
 */
function randomInputs(data: TrainingData, rows: number, seed: number): Float64Array {
  const featureCount = data.featureNames.length;
  const random = SeededRandom.fromSeed(seed);
  const out = new Float64Array(rows * featureCount);
  for (let f = 0; f < featureCount; f++) {
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (let r = 0; r < data.features.length / featureCount; r++) {
      min = Math.min(min, data.features[r * featureCount + f]!);
      max = Math.max(max, data.features[r * featureCount + f]!);
    }
    const span = max - min;
    for (let r = 0; r < rows; r++) out[r * featureCount + f] = Math.fround(min - 0.25 * span + 1.5 * span * random.float());
  }
  return out;
}

async function runOnnx(model: TrainedModel, inputs: Float64Array): Promise<ort.InferenceSession.OnnxValueMapType> {
  const session = await ort.InferenceSession.create(exportOnnx(model));
  const featureCount = model.featureNames.length;
  const signature = onnxSignature(model);
  expect(session.inputNames).toEqual(signature.inputs.map((i) => i.name));
  expect(session.outputNames).toEqual(signature.outputs.map((o) => o.name));
  const tensor = new ort.Tensor("float32", Float32Array.from(inputs), [inputs.length / featureCount, featureCount]);
  try {
    return await session.run({ features: tensor });
  } finally {
    await session.release();
  }
}

const binaryData = syntheticClassification({ rows: 600, features: 5, seed: 31, labelNoise: 0.5 });
const irisData = loadIris();
const regressionData = syntheticRegression({ rows: 600, features: 3, seed: 32, noise: 0.3 }).data;

const classifiers: [string, TrainingSpec, TrainingData][] = [
  ["binary logistic regression", { model: "logistic_regression", seed: 1, maxEpochs: 30 }, binaryData],
  ["multinomial logistic regression", { model: "logistic_regression", seed: 1, maxEpochs: 60 }, irisData],
  [
    "binary MLP (2 ReLU layers)",
    { model: "mlp", task: "classification", seed: 1, hiddenLayers: [12, 6], maxEpochs: 30 },
    binaryData,
  ],
  [
    "multiclass MLP (tanh)",
    { model: "mlp", task: "classification", seed: 1, hiddenLayers: [8], activation: "tanh", maxEpochs: 60 },
    irisData,
  ],
];

const regressors: [string, TrainingSpec][] = [
  ["linear regression", { model: "linear_regression", seed: 1, maxEpochs: 30 }],
  ["MLP regression", { model: "mlp", task: "regression", seed: 1, hiddenLayers: [10, 5], maxEpochs: 30 }],
];

describe("exportOnnx", () => {
  it.each(classifiers)("%s: onnxruntime gives the TypeScript model's probabilities and labels", async (_, spec, data) => {
    const model = await train(spec, data);
    const inputs = randomInputs(data, 500, 77);
    const expected = predict(model, inputs);
    if (expected.task === "regression") throw new Error("expected a classifier");
    const outputs = await runOnnx(model, inputs);
    const probabilities = outputs.probabilities!;
    const labels = outputs.label!;
    const classCount = model.classes!.length;
    expect(probabilities.type).toBe("float32");
    expect(probabilities.dims).toEqual([500, classCount]);
    expect(labels.type).toBe("int64");
    expect(labels.dims).toEqual([500]);
    const onnxProbabilities = probabilities.data as Float32Array;
    const onnxLabels = labels.data as BigInt64Array;
    let maxDifference = 0;
    for (let k = 0; k < onnxProbabilities.length; k++) {
      maxDifference = Math.max(maxDifference, Math.abs(onnxProbabilities[k]! - expected.probabilities[k]!));
    }
    expect(maxDifference).toBeLessThanOrEqual(TOLERANCE);
    for (let r = 0; r < 500; r++) {
      const row = expected.probabilities.subarray(r * classCount, (r + 1) * classCount);
      const sorted = [...row].sort((a, b) => b - a);
      // A near-tie may resolve differently in float32; every other row must agree exactly.
      if (sorted[0]! - sorted[1]! > 2 * TOLERANCE) expect(Number(onnxLabels[r])).toBe(expected.labels[r]);
    }
  });

  it.each(regressors)("%s: onnxruntime gives the TypeScript model's predictions", async (_, spec) => {
    const model = await train(spec, regressionData);
    const inputs = randomInputs(regressionData, 500, 78);
    const expected = predict(model, inputs);
    if (expected.task !== "regression") throw new Error("expected a regressor");
    const outputs = await runOnnx(model, inputs);
    const prediction = outputs.prediction!;
    expect(prediction.dims).toEqual([500, 1]);
    const values = prediction.data as Float32Array;
    for (let r = 0; r < 500; r++) {
      // Absolute 1e-5, relative for |y| > 1: float32 carries ~7 significant digits.
      expect(Math.abs(values[r]! - expected.values[r]!)).toBeLessThanOrEqual(
        TOLERANCE * Math.max(1, Math.abs(expected.values[r]!)),
      );
    }
  });

  it("writes a plain ai.onnx graph: IR 8, opset 17, raw features in, no ZipMap, signature in the metadata", async () => {
    const model = await train({ model: "logistic_regression", seed: 1, maxEpochs: 5 }, irisData);
    const decoded = onnxProto.onnx.ModelProto.decode(exportOnnx(model));
    expect(Number(decoded.irVersion)).toBe(ONNX_IR_VERSION);
    expect(decoded.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([["", ONNX_OPSET_VERSION]]);
    const operators = (decoded.graph?.node ?? []).map((n) => n.opType);
    expect(operators).toEqual(["Sub", "Div", "MatMul", "Add", "Softmax", "ArgMax"]);
    expect(operators).not.toContain("ZipMap");
    const metadata = Object.fromEntries(decoded.metadataProps.map((p) => [p.key, p.value]));
    expect(JSON.parse(metadata["pedigree.signature"]!)).toEqual(onnxSignature(model));
    expect(onnxSignature(model)).toMatchObject({
      task: "multiclass",
      featureNames: ["sepal_length", "sepal_width", "petal_length", "petal_width"],
      classes: ["setosa", "versicolor", "virginica"],
      inputs: [{ name: "features", dtype: "float32", shape: [null, 4] }],
      outputs: [
        { name: "probabilities", dtype: "float32", shape: [null, 3] },
        { name: "label", dtype: "int64", shape: [null] },
      ],
    });
  });
});
