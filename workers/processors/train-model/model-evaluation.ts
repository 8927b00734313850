import { type ColumnBaselines, buildColumnBaselines } from "../../../server/monitoring/drift/index.js";
import { DatasetReadError } from "../../datasets/dataset-errors.js";
import { PREDICTION_BASELINE_KEY } from "../../jobs/train-model.job.js";
import { type FeatureImportance, type ModelMetrics, type TrainedModel, predict } from "../../training/index.js";
import { classificationMetrics, regressionMetrics } from "../../training/metrics.js";
import type { LoadedDataset } from "./training-data.js";

/** Prefix of the permutation-importance entries in a model version's metrics (`featureImportance.<column>`). */
export const FEATURE_IMPORTANCE_PREFIX = "featureImportance.";

/**
 * Metrics of a trained model on a separate validation dataset version (its own split is used for
 * early stopping only). A class the model never saw in training is a data error.
 */
export function scoreValidationSet(model: TrainedModel, validation: LoadedDataset): ModelMetrics {
  const prediction = predict(model, validation.data.features);
  const target = validation.data.target;
  if (prediction.task === "regression") {
    if (!(target instanceof Float64Array)) throw new DatasetReadError("The validation dataset's target is not numeric.");
    return regressionMetrics(target, prediction.values);
  }
  const classes = model.classes ?? [];
  const index = new Map(classes.map((label, k) => [label, k]));
  const actual = new Int32Array(validation.rowCount);
  for (let row = 0; row < validation.rowCount; row++) {
    const label = String(target[row]);
    const k = index.get(label);
    if (k === undefined) {
      throw new DatasetReadError(
        `Class label "${validation.data.targetName}" is "${label}" in data row ${row + 1} of the validation dataset, ` +
          `a class the training data does not have (${classes.join(", ")}).`,
        { column: validation.data.targetName, row: row + 1 },
      );
    }
    actual[row] = k;
  }
  return classificationMetrics(actual, prediction.probabilities, classes.length);
}

/**
 * What the registry records as a model version's metrics (name → finite number): the validation
 * metrics (accuracy, precision, recall, f1, logLoss, rocAuc | mse, rmse, mae, r2; confusion matrix
 * left out) and the permutation importance of every feature as `featureImportance.<column>`.
 */
export function registryMetrics(validation: ModelMetrics, importance: readonly FeatureImportance[]): Record<string, number> {
  const metrics: Record<string, number> = {};
  for (const [key, value] of Object.entries(validation)) {
    if (typeof value === "number" && Number.isFinite(value) && key !== "rows") metrics[key] = value;
  }
  metrics.validationRows = validation.rows;
  for (const entry of importance) {
    if (Number.isFinite(entry.importance)) metrics[`${FEATURE_IMPORTANCE_PREFIX}${entry.feature}`] = entry.importance;
  }
  return metrics;
}

/**
 * Drift baselines at training time: every feature column of the training dataset version (numeric)
 * and the model's prediction on it under `prediction` — the predicted class label (categorical) for
 * classifiers, the predicted value (numeric) for regressors.
 */
export function trainingBaselines(model: TrainedModel, training: LoadedDataset): ColumnBaselines {
  const prediction = predict(model, training.data.features);
  const classes = model.classes ?? [];
  const predicted =
    prediction.task === "regression"
      ? { kind: "numeric" as const, values: prediction.values }
      : { kind: "categorical" as const, values: Array.from(prediction.labels, (k) => classes[k] ?? String(k)) };
  return buildColumnBaselines({
    ...Object.fromEntries(
      model.featureNames.map((name, f) => [name, { kind: "numeric" as const, values: training.featureColumns[f]! }]),
    ),
    [PREDICTION_BASELINE_KEY]: predicted,
  });
}
