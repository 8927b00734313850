import { describe, expect, it } from "vitest";
import { TrainingAbortedError } from "./errors.js";
import { predict } from "./predict.js";
import { syntheticClassification, syntheticRegression } from "./synthetic-data.js";
import { train } from "./train.js";
import type { ClassificationMetrics, EpochMetrics, RegressionMetrics, TrainedModel } from "./types.js";

function classification(model: TrainedModel): ClassificationMetrics {
  if (model.metrics.validation.task === "regression") throw new Error("expected a classifier");
  return model.metrics.validation;
}

function regression(model: TrainedModel): RegressionMetrics {
  if (model.metrics.validation.task !== "regression") throw new Error("expected a regressor");
  return model.metrics.validation;
}

const separable = syntheticClassification({ rows: 1500, features: 6, seed: 21, margin: 0.05 });

describe("train", () => {
  it("logistic regression reaches ≥ 0.99 validation accuracy on linearly separable data", async () => {
    const model = await train({ model: "logistic_regression", seed: 1 }, separable);
    const metrics = classification(model);
    expect(metrics.accuracy).toBeGreaterThanOrEqual(0.99);
    expect(metrics.rocAuc).toBeGreaterThanOrEqual(0.999);
    expect(model.task).toBe("binary");
    expect(model.classes).toEqual(["0", "1"]);
    expect(model.network.layers).toHaveLength(1);
    expect(model.split).toEqual({ trainRows: 1200, validationRows: 300 });
  });

  it("is deterministic: the same seed gives bit-identical weights and metrics, another seed does not", async () => {
    const spec = { model: "mlp", task: "classification", seed: 99, hiddenLayers: [8, 4], maxEpochs: 15 } as const;
    const [a, b, c] = await Promise.all([
      train(spec, separable),
      train(spec, separable),
      train({ ...spec, seed: 100 }, separable),
    ]);
    expect(b.network).toEqual(a.network);
    expect(b.metrics).toEqual(a.metrics);
    expect(b.epochs).toEqual(a.epochs);
    expect(b.importance).toEqual(a.importance);
    expect(c.network.layers[0]!.weights).not.toEqual(a.network.layers[0]!.weights);
  });

  it("reports every epoch through onEpoch, with the validation metrics of its task", async () => {
    const seen: EpochMetrics[] = [];
    const model = await train({ model: "logistic_regression", seed: 3, maxEpochs: 4, earlyStopping: false }, separable, {
      onEpoch: async (metrics, progress) => {
        expect(progress).toEqual({ epoch: metrics.epoch, maxEpochs: 4 });
        seen.push(metrics);
      },
    });
    expect(seen.map((m) => m.epoch)).toEqual([1, 2, 3, 4]);
    expect(seen).toEqual(model.epochs);
    expect(Object.keys(seen[0]!).sort()).toEqual(["epoch", "loss", "valAccuracy", "valAuc", "valLoss"]);
    expect(seen[3]!.loss).toBeLessThan(seen[0]!.loss);
    expect(model.bestEpoch).toBe(4);
  });

  it("stops early when validation loss stops improving and keeps the best epoch's weights", async () => {
    const noisy = syntheticClassification({ rows: 400, features: 30, seed: 4, labelNoise: 3 });
    const model = await train(
      {
        model: "mlp",
        task: "classification",
        seed: 5,
        hiddenLayers: [64],
        l2: 0,
        maxEpochs: 300,
        earlyStopping: { patience: 5 },
      },
      noisy,
    );
    expect(model.stoppedEarly).toBe(true);
    expect(model.epochs.length).toBe(model.bestEpoch + 5);
    const best = model.epochs[model.bestEpoch - 1]!;
    expect(Math.min(...model.epochs.map((m) => m.valLoss))).toBe(best.valLoss);
    // The returned weights are the best epoch's: final validation metrics equal that epoch's.
    expect(classification(model).logLoss).toBe(best.valLoss);
  });

  it("linear regression recovers the generating coefficients", async () => {
    const { data, coefficients, intercept } = syntheticRegression({ rows: 3000, features: 4, seed: 8, noise: 0.05 });
    const model = await train({ model: "linear_regression", seed: 2 }, data);
    const metrics = regression(model);
    expect(metrics.r2).toBeGreaterThan(0.999);
    expect(metrics.rmse).toBeLessThan(0.07);
    // Weights act on standardized x and y: raw coefficient = w · scale_y / scale_x.
    const layer = model.network.layers[0]!;
    const scaler = model.targetScaler!;
    const raw = [...layer.weights].map((w, f) => (w * scaler.scale) / model.standardizer.scale[f]!);
    raw.forEach((c, f) => {
      expect(c).toBeCloseTo(coefficients[f]!, 2);
    });
    const origin = predict(model, new Float64Array(4));
    expect(origin.task === "regression" && origin.values[0]!).toBeCloseTo(intercept, 1);
    expect(Object.keys(model.epochs[0]!).sort()).toEqual(["epoch", "loss", "valLoss", "valR2", "valRmse"]);
  });

  it("an MLP learns a non-linear boundary that logistic regression cannot (XOR of two signs)", async () => {
    const rows = 1200;
    const features = new Float64Array(rows * 2);
    const target = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      const a = Math.sin(r * 12.9898) * 2;
      const b = Math.cos(r * 78.233) * 2;
      features[r * 2] = a;
      features[r * 2 + 1] = b;
      target[r] = a * b > 0 ? 1 : 0;
    }
    const data = { featureNames: ["a", "b"], features, target };
    const mlp = await train({ model: "mlp", task: "classification", seed: 1, hiddenLayers: [16], activation: "tanh" }, data);
    const linear = await train({ model: "logistic_regression", seed: 1 }, data);
    expect(classification(mlp).accuracy).toBeGreaterThan(0.95);
    expect(classification(linear).accuracy).toBeLessThan(0.7);
  });

  it("an MLP regression head fits a non-linear function", async () => {
    const rows = 1000;
    const features = Float64Array.from({ length: rows }, (_, r) => (r / rows) * 6 - 3);
    const target = features.map((x) => x * x + 1);
    const model = await train(
      { model: "mlp", task: "regression", seed: 4, hiddenLayers: [32, 16], maxEpochs: 300 },
      { featureNames: ["x"], features, target },
    );
    expect(model.task).toBe("regression");
    expect(regression(model).r2).toBeGreaterThan(0.99);
  });

  it("ranks an informative feature above pure noise by permutation importance", async () => {
    const rows = 800;
    const features = new Float64Array(rows * 2);
    const target = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      features[r * 2] = Math.sin(r * 3.1);
      features[r * 2 + 1] = Math.cos(r * 7.7) * 5;
      target[r] = features[r * 2]! > 0 ? 1 : 0;
    }
    const model = await train({ model: "logistic_regression", seed: 6 }, { featureNames: ["signal", "noise"], features, target });
    const [signal, noise] = model.importance;
    expect(signal!.feature).toBe("signal");
    expect(signal!.importance).toBeGreaterThan(0.3);
    expect(Math.abs(noise!.importance)).toBeLessThan(0.02);
  });

  it("stops with TrainingAbortedError when the signal fires", async () => {
    const controller = new AbortController();
    const run = train({ model: "logistic_regression", seed: 1, maxEpochs: 1000, earlyStopping: false }, separable, {
      onEpoch: (metrics) => {
        if (metrics.epoch === 2) controller.abort();
      },
      signal: controller.signal,
    });
    await expect(run).rejects.toBeInstanceOf(TrainingAbortedError);
  });
});
