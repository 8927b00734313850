import { DenseNetwork } from "./dense-network.js";
import { argmaxRow, classificationMetrics, regressionMetrics } from "./metrics.js";
import { standardizeRows } from "./standardizer.js";
import type { ModelMetrics, ModelTask, TrainedModel } from "./types.js";

export type ModelPrediction =
  | {
      task: "binary" | "multiclass";
      /** Row-major N × classes.length. */
      probabilities: Float64Array;
      /** Index into the model's classes per row (highest probability, first on ties). */
      labels: Int32Array;
    }
  | { task: "regression" /** One value per row, in target units. */; values: Float64Array };

/**
 * Network outputs in the model's terms for standardized rows: N × K class probabilities (a sigmoid
 * output p becomes [1 − p, p]) or regression values mapped back to target units.
 */
export function networkOutputs(
  network: DenseNetwork,
  standardized: Float64Array,
  rowCount: number,
  task: ModelTask,
  targetScaler?: { mean: number; scale: number },
): Float64Array {
  return toModelOutputs(network.predict(standardized, rowCount), rowCount, task, targetScaler);
}

/** Maps raw network outputs (after the output activation) to the model's terms; see networkOutputs. */
export function toModelOutputs(
  raw: Float64Array,
  rowCount: number,
  task: ModelTask,
  targetScaler?: { mean: number; scale: number },
): Float64Array {
  if (task === "binary") {
    const probabilities = new Float64Array(rowCount * 2);
    for (let r = 0; r < rowCount; r++) {
      probabilities[r * 2] = 1 - raw[r]!;
      probabilities[r * 2 + 1] = raw[r]!;
    }
    return probabilities;
  }
  if (task === "regression" && targetScaler) {
    for (let r = 0; r < rowCount; r++) raw[r] = raw[r]! * targetScaler.scale + targetScaler.mean;
  }
  return raw;
}

/** Full metrics of outputs from `networkOutputs` against targets (class indices or values). */
export function evaluateOutputs(outputs: Float64Array, targets: Float64Array, task: ModelTask, classCount: number): ModelMetrics {
  return task === "regression" ? regressionMetrics(targets, outputs) : classificationMetrics(targets, outputs, classCount);
}

/** Predictions of a trained model for raw (unstandardized) row-major features, as its ONNX export gives them. */
export function predict(model: TrainedModel, features: Float64Array): ModelPrediction {
  const featureCount = model.featureNames.length;
  if (features.length % featureCount !== 0) {
    throw new RangeError(`Expected rows of ${featureCount} features; got ${features.length} values.`);
  }
  const rowCount = features.length / featureCount;
  const network = DenseNetwork.fromWeights(model.network);
  const standardized = standardizeRows(model.standardizer, features, featureCount);
  const outputs = networkOutputs(network, standardized, rowCount, model.task, model.targetScaler);
  if (model.task === "regression") return { task: "regression", values: outputs };
  const classCount = model.classes?.length ?? 2;
  const labels = new Int32Array(rowCount);
  for (let r = 0; r < rowCount; r++) labels[r] = argmaxRow(outputs, r, classCount);
  return { task: model.task, probabilities: outputs, labels };
}
