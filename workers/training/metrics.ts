import type { ClassificationMetrics, RegressionMetrics } from "./types.js";

/** Probabilities are clipped to [ε, 1 − ε] in log loss, as scikit-learn does. */
const LOG_LOSS_EPSILON = 1e-15;

/** Index of the largest value of row `row` (the first one on ties, like ONNX ArgMax). */
export function argmaxRow(values: Float64Array, row: number, width: number): number {
  const base = row * width;
  let best = 0;
  for (let k = 1; k < width; k++) if (values[base + k]! > values[base + best]!) best = k;
  return best;
}

/** Mean negative log-likelihood of the actual classes; `probabilities` is row-major N × classCount. */
export function logLoss(actual: ArrayLike<number>, probabilities: Float64Array, classCount: number): number {
  let sum = 0;
  for (let r = 0; r < actual.length; r++) {
    const p = probabilities[r * classCount + actual[r]!]!;
    sum -= Math.log(Math.min(Math.max(p, LOG_LOSS_EPSILON), 1 - LOG_LOSS_EPSILON));
  }
  return sum / actual.length;
}

export function accuracy(actual: ArrayLike<number>, probabilities: Float64Array, classCount: number): number {
  let correct = 0;
  for (let r = 0; r < actual.length; r++) if (argmaxRow(probabilities, r, classCount) === actual[r]) correct++;
  return correct / actual.length;
}

/**
 * Area under the ROC curve of `scores` for rows where `positive` is 1, by the rank-sum
 * (Mann–Whitney U) formula with tied scores sharing their average rank. NaN when one class is absent.
 */
export function rocAuc(scores: ArrayLike<number>, positive: ArrayLike<number>): number {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let positiveRankSum = 0;
  let positives = 0;
  for (let start = 0; start < n; ) {
    let end = start;
    while (end + 1 < n && scores[order[end + 1]!] === scores[order[start]!]) end++;
    const averageRank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) {
      if (positive[order[k]!] === 1) {
        positiveRankSum += averageRank;
        positives++;
      }
    }
    start = end + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Positive-class probabilities (column 1) of a row-major N × 2 matrix. */
export function positiveScores(probabilities: Float64Array, rowCount: number): Float64Array {
  const scores = new Float64Array(rowCount);
  for (let r = 0; r < rowCount; r++) scores[r] = probabilities[r * 2 + 1]!;
  return scores;
}

/**
 * Accuracy, precision, recall, F1 (binary: of class 1; multiclass: macro averages), log loss,
 * ROC AUC (binary) and the confusion matrix. `actual` holds class indices.
 */
export function classificationMetrics(
  actual: ArrayLike<number>,
  probabilities: Float64Array,
  classCount: number,
): ClassificationMetrics {
  const rows = actual.length;
  const confusionMatrix = Array.from({ length: classCount }, () => new Array<number>(classCount).fill(0));
  for (let r = 0; r < rows; r++) confusionMatrix[actual[r]!]![argmaxRow(probabilities, r, classCount)]!++;
  const perClass = Array.from({ length: classCount }, (_, k) => {
    let truePositives = 0;
    let predicted = 0;
    let actualCount = 0;
    for (let a = 0; a < classCount; a++) {
      predicted += confusionMatrix[a]![k]!;
      actualCount += confusionMatrix[k]![a]!;
    }
    truePositives = confusionMatrix[k]![k]!;
    // Zero when undefined (no predictions / no rows of the class), as scikit-learn's zero_division=0.
    const precision = predicted > 0 ? truePositives / predicted : 0;
    const recall = actualCount > 0 ? truePositives / actualCount : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { precision, recall, f1 };
  });
  let correct = 0;
  for (let k = 0; k < classCount; k++) correct += confusionMatrix[k]![k]!;
  const binary = classCount === 2;
  const mean = (pick: (m: { precision: number; recall: number; f1: number }) => number) =>
    binary ? pick(perClass[1]!) : perClass.reduce((sum, m) => sum + pick(m), 0) / classCount;
  const metrics: ClassificationMetrics = {
    task: binary ? "binary" : "multiclass",
    rows,
    accuracy: correct / rows,
    precision: mean((m) => m.precision),
    recall: mean((m) => m.recall),
    f1: mean((m) => m.f1),
    logLoss: logLoss(actual, probabilities, classCount),
    confusionMatrix,
  };
  if (binary) metrics.rocAuc = rocAuc(positiveScores(probabilities, rows), actual);
  return metrics;
}

/** MSE, RMSE, MAE and R² (1 − SS_res/SS_tot; 1 or 0 for a constant target, as scikit-learn). */
export function regressionMetrics(actual: ArrayLike<number>, predicted: ArrayLike<number>): RegressionMetrics {
  const rows = actual.length;
  let mean = 0;
  for (let r = 0; r < rows; r++) mean += actual[r]!;
  mean /= rows;
  let squared = 0;
  let absolute = 0;
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const error = predicted[r]! - actual[r]!;
    squared += error * error;
    absolute += Math.abs(error);
    const spread = actual[r]! - mean;
    total += spread * spread;
  }
  const mse = squared / rows;
  const r2 = total > 0 ? 1 - squared / total : squared === 0 ? 1 : 0;
  return { task: "regression", rows, mse, rmse: Math.sqrt(mse), mae: absolute / rows, r2 };
}
