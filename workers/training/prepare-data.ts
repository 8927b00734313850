import { TrainingDataError } from "./errors.js";
import type { TaskKind, TrainingData } from "./types.js";

/** More distinct labels than this means a continuous column was passed as a class label. */
export const MAX_CLASSES = 1000;

/** Checked training data with the target encoded for the network. */
export interface PreparedData {
  rowCount: number;
  featureCount: number;
  featureNames: string[];
  targetName: string;
  /** Row-major N×F (the caller's array, not copied). */
  features: Float64Array;
  /** Class index per row (classification) or the numeric target (regression). */
  targets: Float64Array;
  /** Classification: labels in class-index order (numbers sorted numerically, strings by code unit). */
  classes?: string[];
}

/**
 * Validates shapes and values and encodes the target; every problem is a TrainingDataError that
 * names the column and the first offending row (0-based).
 */
export function prepareTrainingData(data: TrainingData, task: TaskKind): PreparedData {
  const featureNames = [...data.featureNames];
  const targetName = data.targetName ?? "target";
  checkFeatureNames(featureNames);
  const featureCount = featureNames.length;
  const rowCount = data.target.length;
  if (data.features.length % featureCount !== 0) {
    throw new TrainingDataError(
      `The feature matrix holds ${data.features.length} values, which is not a whole number of rows of ${featureCount} features.`,
    );
  }
  const featureRows = data.features.length / featureCount;
  if (featureRows !== rowCount) {
    throw new TrainingDataError(
      `Lengths differ: the features have ${featureRows} rows but "${targetName}" has ${rowCount} values.`,
      { column: targetName },
    );
  }
  if (rowCount === 0) throw new TrainingDataError("The training data has no rows.");
  checkFeatureValues(data.features, featureNames, rowCount);
  const base = { rowCount, featureCount, featureNames, targetName, features: data.features };
  if (task === "regression") return { ...base, targets: numericRegressionTarget(data.target, targetName) };
  const { targets, classes } = encodeClasses(data.target, targetName);
  return { ...base, targets, classes };
}

/** Row-major matrix from one array per feature column (as CSV and Parquet readers give them). */
export function rowMajorFromColumns(columns: readonly ArrayLike<number>[]): Float64Array {
  const featureCount = columns.length;
  const rowCount = columns[0]?.length ?? 0;
  const out = new Float64Array(rowCount * featureCount);
  columns.forEach((column, c) => {
    if (column.length !== rowCount) {
      throw new TrainingDataError(`Feature column ${c} has ${column.length} values, column 0 has ${rowCount}.`);
    }
    for (let r = 0; r < rowCount; r++) out[r * featureCount + c] = column[r]!;
  });
  return out;
}

function checkFeatureNames(names: string[]): void {
  if (names.length === 0) throw new TrainingDataError("No feature columns were given.");
  const seen = new Set<string>();
  for (const name of names) {
    if (name.length === 0) throw new TrainingDataError("A feature column has an empty name.");
    if (seen.has(name)) throw new TrainingDataError(`Feature column "${name}" is listed twice.`, { column: name });
    seen.add(name);
  }
}

function describe(value: number): string {
  return Number.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";
}

function checkFeatureValues(features: Float64Array, names: string[], rowCount: number): void {
  const featureCount = names.length;
  let first = -1;
  let bad = 0;
  for (let k = 0; k < rowCount * featureCount; k++) {
    if (!Number.isFinite(features[k]!)) {
      if (first < 0) first = k;
      bad++;
    }
  }
  if (first < 0) return;
  const row = Math.floor(first / featureCount);
  const column = names[first % featureCount]!;
  const more = bad > 1 ? ` (${bad} non-finite values in all)` : "";
  throw new TrainingDataError(
    `Feature "${column}" is ${describe(features[first]!)} in row ${row}${more}; drop or impute missing values before training.`,
    { column, row },
  );
}

function numericRegressionTarget(target: Float64Array | readonly string[], targetName: string): Float64Array {
  if (!(target instanceof Float64Array)) {
    throw new TrainingDataError(`Regression needs a numeric target, but "${targetName}" holds text labels.`, {
      column: targetName,
    });
  }
  for (let row = 0; row < target.length; row++) {
    const value = target[row]!;
    if (!Number.isFinite(value)) {
      const what = Number.isNaN(value) ? "not a number (NaN)" : describe(value);
      throw new TrainingDataError(`Regression target "${targetName}" is ${what} in row ${row}.`, {
        column: targetName,
        row,
      });
    }
  }
  return target;
}

function encodeClasses(
  target: Float64Array | readonly string[],
  targetName: string,
): { targets: Float64Array; classes: string[] } {
  const targets = new Float64Array(target.length);
  let classes: string[];
  if (target instanceof Float64Array) {
    for (let row = 0; row < target.length; row++) {
      if (!Number.isFinite(target[row]!)) {
        throw new TrainingDataError(`Class label "${targetName}" is ${describe(target[row]!)} in row ${row}.`, {
          column: targetName,
          row,
        });
      }
    }
    const distinct = [...new Set(target)].sort((a, b) => a - b);
    checkClassCount(distinct.length, targetName);
    const index = new Map(distinct.map((value, k) => [value, k]));
    for (let row = 0; row < target.length; row++) targets[row] = index.get(target[row]!)!;
    classes = distinct.map(String);
  } else {
    for (let row = 0; row < target.length; row++) {
      if (target[row]!.length === 0) {
        throw new TrainingDataError(`Class label "${targetName}" is empty in row ${row}.`, { column: targetName, row });
      }
    }
    const distinct = [...new Set(target)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    checkClassCount(distinct.length, targetName);
    const index = new Map(distinct.map((value, k) => [value, k]));
    for (let row = 0; row < target.length; row++) targets[row] = index.get(target[row]!)!;
    classes = distinct;
  }
  return { targets, classes };
}

function checkClassCount(count: number, targetName: string): void {
  if (count < 2) {
    throw new TrainingDataError(`Classification needs at least two classes, but "${targetName}" has only one.`, {
      column: targetName,
    });
  }
  if (count > MAX_CLASSES) {
    throw new TrainingDataError(
      `"${targetName}" has ${count} distinct labels (at most ${MAX_CLASSES}); is it a regression target?`,
      { column: targetName },
    );
  }
}
