// What one cell of a CSV or Parquet file means as a number or as a class label.

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Shortened for messages: a corrupt file must not flood a job's error. */
function shown(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

/**
 * A cell as a finite number, or NaN when it holds none. Text must be a plain decimal (`1`, `-2.5`,
 * `3e-4`, surrounding spaces allowed); `NaN`, `Infinity`, hex and empty cells are not numbers.
 * Booleans count as 0 and 1.
 */
export function numberOf(cell: unknown): number {
  if (typeof cell === "number") return Number.isFinite(cell) ? cell : Number.NaN;
  if (typeof cell === "string") {
    const text = cell.trim();
    return DECIMAL.test(text) ? Number(text) : Number.NaN;
  }
  if (typeof cell === "bigint") return Number(cell);
  if (typeof cell === "boolean") return cell ? 1 : 0;
  return Number.NaN;
}

/** Why `numberOf(cell)` is NaN, completing "Feature "x" … in data row 3". */
export function whyNotNumber(cell: unknown): string {
  if (isMissing(cell)) return "is empty";
  if (typeof cell === "number") return `is ${Number.isNaN(cell) ? "NaN" : cell > 0 ? "Infinity" : "-Infinity"}`;
  if (typeof cell === "string") return `is not a number (${shown(cell.trim())})`;
  return `is not a number (a ${cell instanceof Date ? "date" : typeof cell} value)`;
}

/** Null, undefined, NaN and blank text are missing values. */
export function isMissing(cell: unknown): boolean {
  return (
    cell === null ||
    cell === undefined ||
    (typeof cell === "number" && Number.isNaN(cell)) ||
    (typeof cell === "string" && cell.trim() === "")
  );
}

/** A cell as a class label (text as given, numbers in their shortest form), or undefined when it has none. */
export function labelOf(cell: unknown): string | undefined {
  if (isMissing(cell)) return undefined;
  if (typeof cell === "string") return cell.trim();
  if (typeof cell === "number") return Number.isFinite(cell) ? String(cell) : undefined;
  if (typeof cell === "bigint" || typeof cell === "boolean") return String(cell);
  if (cell instanceof Date) return cell.toISOString();
  return undefined;
}

/** True when a label is a plain decimal, so that a column of them can be read as numbers. */
export function isDecimalText(label: string): boolean {
  return DECIMAL.test(label);
}
