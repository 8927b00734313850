// What counts as a value, and what as a null, in a column handed to the drift functions.

export type ColumnValue = number | string | boolean | null | undefined;
/** A column: a plain array, or a Float64Array (NaN marks a missing value). */
export type ColumnValues = ArrayLike<ColumnValue>;
export type ColumnKind = "numeric" | "categorical";

/**
 * A numeric column's value: finite numbers only. null, undefined, NaN, ±Infinity and anything that
 * is not a number count as nulls — reported as a null count, never as drift.
 */
export function isFiniteNumber(value: ColumnValue): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

/**
 * A categorical column's category: strings as they are (the empty string included), numbers and
 * booleans as their String() (so 1 and "1" are one category). null, undefined and NaN are nulls.
 */
export function categoryOf(value: ColumnValue): string | null {
  if (typeof value === "string") return value;
  if (value === null || value === undefined || Number.isNaN(value)) return null;
  return String(value);
}
