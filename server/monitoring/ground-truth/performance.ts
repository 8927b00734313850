// Model performance over the predictions that have ground truth, against the validation baseline.
import { classificationMetrics, regressionMetrics } from "../../../workers/training/metrics.js";
import type { ModelTask } from "./model-task.js";

/** One served prediction with its observed outcome. */
export interface LabeledPrediction {
  outputs: unknown;
  label: string | null;
  value: number | null;
}

export interface ClassificationPerformance {
  task: "classification";
  /** Predictions with ground truth in the window (those whose output could be read). */
  labeled: number;
  accuracy: number;
  /** Binary: of the second class (as training reports it); multiclass: macro averages. */
  precision: number;
  recall: number;
  /** Binary models with probabilities in their outputs and both classes observed; else null. */
  rocAuc: number | null;
  baseline: { accuracy: number | null; precision: number | null; recall: number | null; rocAuc: number | null };
}

export interface RegressionPerformance {
  task: "regression";
  labeled: number;
  rmse: number;
  mae: number;
  baseline: { rmse: number | null; mae: number | null };
}

export type PerformanceSummary = ClassificationPerformance | RegressionPerformance;

const LABEL_KEYS = ["label", "predictedLabel", "class", "prediction"] as const;
const VALUE_KEYS = ["prediction", "value", "predicted", "score"] as const;

function record(outputs: unknown): Record<string, unknown> {
  return typeof outputs === "object" && outputs !== null && !Array.isArray(outputs) ? (outputs as Record<string, unknown>) : {};
}

/** The predicted class of a logged output: a label (or a class index into `classes`). */
export function predictedLabelOf(outputs: unknown, classes: readonly string[] | null): string | null {
  if (typeof outputs === "string") return outputs;
  const fields = record(outputs);
  for (const key of LABEL_KEYS) {
    const value = fields[key];
    if (typeof value === "string") return value;
    if (typeof value === "boolean") return String(value);
    if (typeof value === "number" && Number.isFinite(value)) {
      const asName = String(value);
      if (classes && !classes.includes(asName) && Number.isInteger(value) && value >= 0 && value < classes.length) {
        return classes[value]!;
      }
      return asName;
    }
  }
  const probabilities = probabilitiesOf(outputs, classes);
  if (probabilities && classes) return classes[argmax(probabilities)]!;
  return null;
}

/** Class probabilities in `classes` order (an array, or an object keyed by class), or null. */
export function probabilitiesOf(outputs: unknown, classes: readonly string[] | null): number[] | null {
  const raw = record(outputs).probabilities;
  if (!classes) return null;
  if (Array.isArray(raw) && raw.length === classes.length && raw.every((p) => typeof p === "number" && Number.isFinite(p))) {
    return raw as number[];
  }
  if (typeof raw === "object" && raw !== null && !Array.isArray(raw)) {
    const byClass = raw as Record<string, unknown>;
    const values = classes.map((name) => byClass[name]);
    if (values.every((p) => typeof p === "number" && Number.isFinite(p))) return values as number[];
  }
  return null;
}

/** The predicted value of a regressor's logged output, or null. */
export function predictedValueOf(outputs: unknown): number | null {
  if (typeof outputs === "number") return Number.isFinite(outputs) ? outputs : null;
  const fields = record(outputs);
  for (const key of VALUE_KEYS) {
    let value = fields[key];
    if (Array.isArray(value) && value.length === 1) value = value[0];
    if (typeof value === "number" && Number.isFinite(value)) return value;
  }
  return null;
}

function argmax(values: readonly number[]): number {
  let best = 0;
  for (let k = 1; k < values.length; k++) if (values[k]! > values[best]!) best = k;
  return best;
}

const baselineNumber = (metrics: Record<string, unknown>, key: string): number | null => {
  const value = metrics[key];
  return typeof value === "number" && Number.isFinite(value) ? value : null;
};

/**
 * Accuracy, precision, recall and ROC AUC (classifiers) or RMSE and MAE (regressors) of the labeled
 * predictions, with the model version's validation metrics as the baseline. Null when no row can be
 * scored (or the task is unknown).
 */
export function computePerformance(
  task: ModelTask,
  metrics: Record<string, unknown>,
  rows: readonly LabeledPrediction[],
): PerformanceSummary | null {
  if (task.task === "regression") {
    const actual: number[] = [];
    const predicted: number[] = [];
    for (const row of rows) {
      const value = predictedValueOf(row.outputs);
      if (row.value === null || value === null) continue;
      actual.push(row.value);
      predicted.push(value);
    }
    if (actual.length === 0) return null;
    const scored = regressionMetrics(actual, predicted);
    return {
      task: "regression",
      labeled: actual.length,
      rmse: scored.rmse,
      mae: scored.mae,
      baseline: { rmse: baselineNumber(metrics, "rmse"), mae: baselineNumber(metrics, "mae") },
    };
  }
  if (task.task !== "classification") return null;
  // Classes: the signature's, else those seen in labels and predictions (sorted, so stable).
  const scoredRows: Array<{ actual: string; predicted: string; probabilities: number[] | null }> = [];
  for (const row of rows) {
    const predicted = predictedLabelOf(row.outputs, task.classes);
    if (row.label === null || predicted === null) continue;
    scoredRows.push({ actual: row.label, predicted, probabilities: probabilitiesOf(row.outputs, task.classes) });
  }
  if (scoredRows.length === 0) return null;
  const classes = task.classes ?? [...new Set(scoredRows.flatMap((row) => [row.actual, row.predicted]))].sort();
  const index = new Map(classes.map((name, k) => [name, k]));
  const usable = scoredRows.filter((row) => index.has(row.actual) && index.has(row.predicted));
  if (usable.length === 0) return null;
  const classCount = Math.max(classes.length, 2);
  const withProbabilities = usable.every((row) => row.probabilities !== null);
  const actual = Int32Array.from(usable, (row) => index.get(row.actual)!);
  const matrix = new Float64Array(usable.length * classCount);
  usable.forEach((row, r) => {
    if (withProbabilities) matrix.set(row.probabilities!, r * classCount);
    else matrix[r * classCount + index.get(row.predicted)!] = 1;
  });
  const scored = classificationMetrics(actual, matrix, classCount);
  const auc = withProbabilities && scored.rocAuc !== undefined && Number.isFinite(scored.rocAuc) ? scored.rocAuc : null;
  return {
    task: "classification",
    labeled: usable.length,
    accuracy: scored.accuracy,
    precision: scored.precision,
    recall: scored.recall,
    rocAuc: auc,
    baseline: {
      accuracy: baselineNumber(metrics, "accuracy"),
      precision: baselineNumber(metrics, "precision"),
      recall: baselineNumber(metrics, "recall"),
      rocAuc: baselineNumber(metrics, "rocAuc"),
    },
  };
}
