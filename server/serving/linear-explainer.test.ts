import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { exportOnnx, train } from "../../workers/training/index.js";
import { syntheticClassification, syntheticRegression } from "../../workers/training/synthetic-data.js";
import type { TrainedModel, TrainingData } from "../../workers/training/types.js";
import { linearOnnxModel } from "../model/model-artifact.fixtures.js";
import { type AffineModel, NotLinearModelError, linearAttributions, readAffineModel } from "./linear-explainer.js";

function signatureOf(model: TrainedModel) {
  return { inputName: "features", featureNames: model.featureNames, classes: model.classes };
}

/** onnxruntime's outputs for the rows (float32 in, as served). */
async function runOnnx(bytes: Uint8Array, rows: Float32Array, rowCount: number, width: number) {
  const session = await ort.InferenceSession.create(bytes);
  const result = await session.run({ features: new ort.Tensor("float32", rows, [rowCount, width]) });
  await session.release();
  return Object.fromEntries(Object.entries(result).map(([name, tensor]) => [name, Array.from(tensor.data as Float32Array)]));
}

function rowsOf(data: TrainingData, count: number): Float32Array {
  return Float32Array.from(data.features.subarray(0, count * data.featureNames.length));
}

/** Three classes by the largest of three shifted features: a softmax regression separates them. */
function threeClasses(rows: number): TrainingData {
  const features = new Float64Array(rows * 3);
  const target: string[] = [];
  let state = 7;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  for (let r = 0; r < rows; r++) {
    for (let f = 0; f < 3; f++) features[r * 3 + f] = 10 * next() + f;
    const row = [0, 1, 2].map((f) => features[r * 3 + f]! - f);
    target.push(["low", "mid", "high"][row.indexOf(Math.max(...row))]!);
  }
  return { featureNames: ["a", "b", "c"], features, target, targetName: "band" };
}

describe("linearAttributions", () => {
  const model: AffineModel = {
    space: "PREDICTION",
    featureCount: 3,
    outputNames: ["y"],
    weights: Float64Array.from([2, -1, 0.5]),
    intercept: Float64Array.from([3]),
  };

  it("gives w·(x − m) per feature and the value at the means as the baseline", () => {
    const parts = linearAttributions(model, [1, 4, 10], [0, 2, 4]);
    expect(Array.from(parts.attributions)).toEqual([2, -2, 3]);
    expect(parts.baseline[0]).toBe(3 + 0 - 2 + 2);
    expect(parts.value[0]).toBe(3 + 2 - 4 + 5);
  });

  it("sums exactly: baseline + Σ attributions = w·x + b for every output", () => {
    const twoOutputs: AffineModel = {
      space: "LOGIT",
      featureCount: 2,
      outputNames: ["p", "q"],
      weights: Float64Array.from([0.3, -1.7, 2.25, 0.01]),
      intercept: Float64Array.from([-0.4, 1.1]),
    };
    const x = [12.5, -3.75];
    const parts = linearAttributions(twoOutputs, x, [10, -1]);
    for (let k = 0; k < 2; k++) {
      const direct = x[0]! * twoOutputs.weights[k]! + x[1]! * twoOutputs.weights[2 + k]! + twoOutputs.intercept[k]!;
      const sum = parts.baseline[k]! + parts.attributions[k]! + parts.attributions[2 + k]!;
      expect(sum).toBeCloseTo(direct, 12);
      expect(parts.value[k]).toBe(sum);
    }
  });

  it("gives zero attributions at the baseline means", () => {
    const parts = linearAttributions(model, [1, 2, 3], [1, 2, 3]);
    // −0 for a negative weight; the same number.
    expect(Array.from(parts.attributions, (a) => a + 0)).toEqual([0, 0, 0]);
    expect(parts.value[0]).toBe(parts.baseline[0]);
  });
});

describe("readAffineModel", () => {
  it("folds the standardizer into a binary logistic regression's weights and matches onnxruntime's logit", async () => {
    const data = syntheticClassification({ rows: 300, features: 4, seed: 3 });
    const model = await train({ model: "logistic_regression", seed: 3, maxEpochs: 15, importance: false }, data);
    const bytes = exportOnnx(model);
    const affine = readAffineModel(bytes, signatureOf(model));
    expect(affine.space).toBe("LOGIT");
    expect(affine.outputNames).toEqual([model.classes![1]]);
    const layer = model.network.layers[0]!;
    for (let j = 0; j < 4; j++) {
      // Raw-space weight = w / scale (float32 as stored in the graph).
      expect(affine.weights[j]!).toBeCloseTo(layer.weights[j]! / model.standardizer.scale[j]!, 5);
    }
    const rows = rowsOf(data, 20);
    const served = await runOnnx(bytes, rows, 20, 4);
    for (let r = 0; r < 20; r++) {
      const parts = linearAttributions(affine, rows.subarray(r * 4, r * 4 + 4), model.standardizer.mean);
      const p = served.probabilities![r * 2 + 1]!;
      expect(1 / (1 + Math.exp(-parts.value[0]!))).toBeCloseTo(p, 5);
    }
  });

  it("explains every class logit of a softmax regression", async () => {
    const data = threeClasses(300);
    const model = await train({ model: "logistic_regression", seed: 5, maxEpochs: 20, importance: false }, data);
    const bytes = exportOnnx(model);
    const affine = readAffineModel(bytes, signatureOf(model));
    expect(affine.outputNames).toEqual(model.classes);
    const rows = rowsOf(data, 10);
    const served = await runOnnx(bytes, rows, 10, 3);
    for (let r = 0; r < 10; r++) {
      const logits = linearAttributions(affine, rows.subarray(r * 3, r * 3 + 3), [0, 0, 0]).value;
      const top = Math.max(...logits);
      const exps = Array.from(logits, (z) => Math.exp(z - top));
      const total = exps.reduce((a, b) => a + b, 0);
      for (const [k, e] of exps.entries()) expect(e / total).toBeCloseTo(served.probabilities![r * 3 + k]!, 5);
    }
  });

  it("explains a linear regression's prediction in target units (target scaling folded in)", async () => {
    const { data } = syntheticRegression({ rows: 300, features: 3, seed: 9, noise: 0.1 });
    const model = await train({ model: "linear_regression", seed: 9, maxEpochs: 30, importance: false }, data);
    const bytes = exportOnnx(model);
    const affine = readAffineModel(bytes, signatureOf(model));
    expect(affine.space).toBe("PREDICTION");
    expect(affine.outputNames).toEqual(["prediction"]);
    const rows = rowsOf(data, 10);
    const served = await runOnnx(bytes, rows, 10, 3);
    for (let r = 0; r < 10; r++) {
      const value = linearAttributions(affine, rows.subarray(r * 3, r * 3 + 3), [0, 0, 0]).value[0]!;
      expect(value).toBeCloseTo(served.prediction![r]!, 3);
    }
  });

  it("reads a bare MatMul + Add graph without a standardizer", () => {
    const { bytes, featureNames } = linearOnnxModel([2, -0.5, 4], 1.5);
    const affine = readAffineModel(bytes, { inputName: "features", featureNames, classes: undefined });
    expect(Array.from(affine.weights)).toEqual([2, -0.5, 4]);
    expect(Array.from(affine.intercept)).toEqual([1.5]);
  });

  it("refuses an MLP (a Relu between layers) as not linear", async () => {
    const data = syntheticClassification({ rows: 200, features: 3, seed: 4 });
    const model = await train(
      { model: "mlp", task: "classification", seed: 4, maxEpochs: 3, hiddenLayers: [4], importance: false },
      data,
    );
    expect(() => readAffineModel(exportOnnx(model), signatureOf(model))).toThrow(NotLinearModelError);
    expect(() => readAffineModel(exportOnnx(model), signatureOf(model))).toThrow(/Relu/);
  });

  it("refuses bytes that are not an ONNX model", () => {
    expect(() =>
      readAffineModel(Uint8Array.from([255, 255, 255, 255]), { inputName: "features", featureNames: ["a"], classes: undefined }),
    ).toThrow(NotLinearModelError);
  });
});
