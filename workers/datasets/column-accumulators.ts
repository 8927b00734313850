import { isDecimalText, labelOf, numberOf, whyNotNumber } from "./cells.js";

/** One column the caller wants from a dataset file, and how it is read. */
export interface ColumnRequest {
  name: string;
  /** numeric: every cell a finite number; label: every cell a non-empty class label. */
  kind: "numeric" | "label";
  /** How messages name the column, e.g. `Feature "x1"` or `Regression target "price"`. */
  describedAs: string;
}

/** Numbers; or class labels, as numbers when every label is a plain decimal, else as text. */
export type ColumnValues = Float64Array | string[];

/** A cell that cannot be used; the file reader adds where it is. */
export class CellProblem extends Error {
  constructor(
    readonly request: ColumnRequest,
    /** 0-based data row. */
    readonly row: number,
    /** Completes "Feature "x" …", e.g. `is empty`. */
    readonly problem: string,
    readonly missing: boolean,
  ) {
    super(`${request.describedAs} ${problem} in data row ${row + 1}`);
  }
}

/** Collects one column's values row by row (rows may arrive in any order, as Parquet chunks do). */
export interface ColumnAccumulator {
  set(row: number, cell: unknown): void;
  finish(rowCount: number): ColumnValues;
}

class NumericAccumulator implements ColumnAccumulator {
  private values: Float64Array;

  constructor(
    private readonly request: ColumnRequest,
    capacity: number,
  ) {
    this.values = new Float64Array(Math.max(capacity, 16));
  }

  set(row: number, cell: unknown): void {
    const value = numberOf(cell);
    if (Number.isNaN(value)) throw new CellProblem(this.request, row, whyNotNumber(cell), whyNotNumber(cell) === "is empty");
    if (row >= this.values.length) {
      const grown = new Float64Array(Math.max(row + 1, this.values.length * 2));
      grown.set(this.values);
      this.values = grown;
    }
    this.values[row] = value;
  }

  finish(rowCount: number): Float64Array {
    return this.values.slice(0, rowCount);
  }
}

class LabelAccumulator implements ColumnAccumulator {
  private readonly labels: string[] = [];
  private allDecimal = true;

  constructor(private readonly request: ColumnRequest) {}

  set(row: number, cell: unknown): void {
    const label = labelOf(cell);
    if (label === undefined) {
      const problem = cell === null || cell === undefined || typeof cell !== "object" ? "is empty" : "is not a class label";
      throw new CellProblem(this.request, row, problem, problem === "is empty");
    }
    if (this.allDecimal && !isDecimalText(label)) this.allDecimal = false;
    this.labels[row] = label;
  }

  finish(rowCount: number): ColumnValues {
    const labels = this.labels.length === rowCount ? this.labels : this.labels.slice(0, rowCount);
    return this.allDecimal ? Float64Array.from(labels, Number) : labels;
  }
}

export function createAccumulator(request: ColumnRequest, capacity: number): ColumnAccumulator {
  return request.kind === "numeric" ? new NumericAccumulator(request, capacity) : new LabelAccumulator(request);
}
