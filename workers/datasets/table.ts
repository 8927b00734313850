import {
  type ColumnAccumulator,
  type ColumnRequest,
  type ColumnValues,
  CellProblem,
  createAccumulator,
} from "./column-accumulators.js";
import { DatasetReadError } from "./dataset-errors.js";

/** The requested columns of a dataset file, in request order. */
export interface DatasetTable {
  rowCount: number;
  columns: ColumnValues[];
}

/** Most cells (rows × requested columns) read for one training run: 25 M numbers are 200 MB. */
export const DEFAULT_MAX_CELLS = 25_000_000;

export interface ReadLimits {
  /** @defaultValue DEFAULT_MAX_CELLS */
  maxCells?: number;
}

/** Column names of a file, quoted and shortened for an error message. */
export function listColumns(names: readonly string[]): string {
  const shown = names.slice(0, 20).map((name) => JSON.stringify(name));
  return names.length > shown.length ? `${shown.join(", ")} and ${names.length - shown.length} more` : shown.join(", ");
}

/** Index of every requested column among the file's columns; a missing or repeated one is an error. */
export function locateColumns(path: string, fileColumns: readonly string[], requests: readonly ColumnRequest[]): number[] {
  return requests.map((request) => {
    const index = fileColumns.indexOf(request.name);
    if (index < 0) {
      throw new DatasetReadError(
        `Column "${request.name}" is not in dataset file ${path}; its columns are ${listColumns(fileColumns)}.`,
        { column: request.name },
      );
    }
    if (fileColumns.indexOf(request.name, index + 1) >= 0) {
      throw new DatasetReadError(`Column "${request.name}" appears more than once in dataset file ${path}.`, {
        column: request.name,
      });
    }
    return index;
  });
}

/** Gathers the requested columns cell by cell, enforcing the size limit, and turns cell problems into clear errors. */
export class TableBuilder {
  private readonly accumulators: ColumnAccumulator[];
  private readonly maxRows: number;

  constructor(
    private readonly path: string,
    private readonly requests: readonly ColumnRequest[],
    limits: ReadLimits,
    expectedRows = 0,
  ) {
    const maxCells = limits.maxCells ?? DEFAULT_MAX_CELLS;
    this.maxRows = Math.floor(maxCells / Math.max(requests.length, 1));
    this.checkRowCount(expectedRows);
    this.accumulators = requests.map((request) => createAccumulator(request, Math.min(expectedRows || 1024, this.maxRows)));
  }

  /** Refuses a file with more rows than the limit allows (as soon as it is known). */
  checkRowCount(rows: number): void {
    if (rows > this.maxRows) {
      throw new DatasetReadError(
        `Dataset file ${this.path} has more than ${this.maxRows.toLocaleString("en-US")} rows; one training run reads at most ` +
          `${(this.maxRows * this.requests.length).toLocaleString("en-US")} values (${this.requests.length} columns). ` +
          "Register a sample of the data as its own dataset version.",
      );
    }
  }

  /** Stores a cell of the k-th requested column; `where` adds a location such as "(line 12)" to errors. */
  set(column: number, row: number, cell: unknown, where?: () => string): void {
    try {
      this.accumulators[column]!.set(row, cell);
    } catch (error) {
      if (!(error instanceof CellProblem)) throw error;
      const location = where ? ` ${where()}` : "";
      const advice = error.missing ? "; drop or impute missing values before training" : "";
      throw new DatasetReadError(
        `${error.request.describedAs} ${error.problem} in data row ${row + 1}${location} of ${this.path}${advice}.`,
        { column: error.request.name, row: row + 1 },
      );
    }
  }

  finish(rowCount: number): DatasetTable {
    if (rowCount === 0) throw new DatasetReadError(`Dataset file ${this.path} has no data rows.`);
    return { rowCount, columns: this.accumulators.map((accumulator) => accumulator.finish(rowCount)) };
  }
}
