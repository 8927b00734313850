import { InputInvalidError } from "../errors/common-errors.js";
import type { ServableSignature } from "./model-signature.js";

/** The rows of one predict request as the model's input tensor, plus each row as {feature: value} for the log. */
export interface DecodedInput {
  rowCount: number;
  /** Row-major float32 values, featureNames order. */
  values: Float32Array;
  /** Row `i` as {feature: value} (built only for rows that are logged). */
  rowInputs(i: number): Record<string, number>;
}

/** Request shapes: rows of {feature: value} or of values in featureNames order, or columns {feature: [values]}. */
export interface PredictPayload {
  rows?: unknown;
  columns?: unknown;
}

const MAX_LISTED_FEATURES = 20;

function listed(names: readonly string[]): string {
  const shown = names.slice(0, MAX_LISTED_FEATURES).join(", ");
  return names.length > MAX_LISTED_FEATURES ? `${shown}, … (${names.length} in all)` : shown;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `a ${typeof value}`;
}

/** Object property paths as JavaScript would write them (`rows[0].age`, `rows[0]["a b"]`). */
function member(path: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** One feature value: a finite number that float32 can hold. */
function featureValue(value: unknown, field: string): number {
  if (typeof value !== "number") {
    if (value === null || value === undefined) {
      throw new InputInvalidError(
        field,
        `is ${value === null ? "null" : "missing"}; every feature needs a finite number (no NaN or null).`,
      );
    }
    throw new InputInvalidError(field, `must be a number; got ${describe(value)}.`);
  }
  if (!Number.isFinite(value)) throw new InputInvalidError(field, `must be a finite number; got ${value}.`);
  if (!Number.isFinite(Math.fround(value))) {
    throw new InputInvalidError(field, `must fit in float32 (|x| < 3.4e38); got ${value}.`);
  }
  return value;
}

function checkRowCount(count: number, field: string, maxRows: number): void {
  if (count === 0) throw new InputInvalidError(field, "must hold at least one row.");
  if (count > maxRows) throw new InputInvalidError(field, `must hold at most ${maxRows} rows; got ${count}.`);
}

function decodeRows(rows: unknown, signature: ServableSignature, prefix: string, maxRows: number): DecodedInput {
  const field = `${prefix}rows`;
  if (!Array.isArray(rows)) throw new InputInvalidError(field, `must be a list of rows; got ${describe(rows)}.`);
  checkRowCount(rows.length, field, maxRows);
  const { featureNames } = signature;
  const width = featureNames.length;
  const index = new Map(featureNames.map((name, i) => [name, i]));
  const values = new Float32Array(rows.length * width);
  const raw = new Float64Array(rows.length * width);
  rows.forEach((row: unknown, r) => {
    const rowField = `${field}[${r}]`;
    if (Array.isArray(row)) {
      if (row.length !== width) {
        throw new InputInvalidError(
          rowField,
          `must have ${width} values (features in order: ${listed(featureNames)}); got ${row.length}.`,
        );
      }
      for (let f = 0; f < width; f++) {
        raw[r * width + f] = featureValue(row[f], `${rowField}[${f}] (${featureNames[f]})`);
      }
    } else if (isPlainObject(row)) {
      for (const key of Object.keys(row)) {
        if (!index.has(key)) {
          throw new InputInvalidError(
            member(rowField, key),
            `is not a feature of this model; its features are ${listed(featureNames)}.`,
          );
        }
      }
      for (let f = 0; f < width; f++) {
        const name = featureNames[f]!;
        raw[r * width + f] = featureValue(Object.hasOwn(row, name) ? row[name] : undefined, member(rowField, name));
      }
    } else {
      throw new InputInvalidError(
        rowField,
        `must be an object {feature: value} or a list of ${width} values; got ${describe(row)}.`,
      );
    }
  });
  values.set(raw);
  return { rowCount: rows.length, values, rowInputs: (i) => rowObject(featureNames, raw, i) };
}

function decodeColumns(columns: unknown, signature: ServableSignature, prefix: string, maxRows: number): DecodedInput {
  const field = `${prefix}columns`;
  if (!isPlainObject(columns))
    throw new InputInvalidError(field, `must be an object {feature: [values]}; got ${describe(columns)}.`);
  const { featureNames } = signature;
  const width = featureNames.length;
  const index = new Set(featureNames);
  for (const key of Object.keys(columns)) {
    if (!index.has(key)) {
      throw new InputInvalidError(
        member(field, key),
        `is not a feature of this model; its features are ${listed(featureNames)}.`,
      );
    }
  }
  let rowCount: number | undefined;
  let first = "";
  for (const name of featureNames) {
    const column = Object.hasOwn(columns, name) ? columns[name] : undefined;
    const columnField = member(field, name);
    if (column === undefined) throw new InputInvalidError(columnField, "is missing; every feature needs a column.");
    if (!Array.isArray(column)) throw new InputInvalidError(columnField, `must be a list of numbers; got ${describe(column)}.`);
    if (rowCount === undefined) {
      checkRowCount(column.length, columnField, maxRows);
      rowCount = column.length;
      first = columnField;
    } else if (column.length !== rowCount) {
      throw new InputInvalidError(columnField, `must have ${rowCount} values like ${first}; got ${column.length}.`);
    }
  }
  const rows = rowCount ?? 0;
  const raw = new Float64Array(rows * width);
  featureNames.forEach((name, f) => {
    const column = columns[name] as unknown[];
    const columnField = member(field, name);
    for (let r = 0; r < rows; r++) raw[r * width + f] = featureValue(column[r], `${columnField}[${r}]`);
  });
  return { rowCount: rows, values: Float32Array.from(raw), rowInputs: (i) => rowObject(featureNames, raw, i) };
}

function rowObject(featureNames: readonly string[], raw: Float64Array, row: number): Record<string, number> {
  const width = featureNames.length;
  const out: Record<string, number> = {};
  for (let f = 0; f < width; f++) out[featureNames[f]!] = raw[row * width + f]!;
  return out;
}

/**
 * Validates a predict payload against the model version's signature and builds its input tensor.
 * Every problem is an InputInvalidError naming the offending field (`rows[3].age`, `columns.age[7]`),
 * prefixed by `prefix` (e.g. "input." for GraphQL).
 */
export function decodePredictInput(
  payload: PredictPayload,
  signature: ServableSignature,
  options: { prefix: string; maxRows: number },
): DecodedInput {
  const hasRows = payload.rows !== undefined && payload.rows !== null;
  const hasColumns = payload.columns !== undefined && payload.columns !== null;
  if (hasRows && hasColumns) {
    throw new InputInvalidError(`${options.prefix}columns`, "must not be given together with rows; send one of them.");
  }
  if (hasRows) return decodeRows(payload.rows, signature, options.prefix, options.maxRows);
  if (hasColumns) return decodeColumns(payload.columns, signature, options.prefix, options.maxRows);
  throw new InputInvalidError(
    `${options.prefix}rows`,
    'is missing; send "rows": [{feature: value}, …] or "columns": {feature: [values]}.',
  );
}
