/** Where in a dataset file a problem sits: a column and a 1-based data row (the header is not a row). */
export interface DatasetErrorLocation {
  column?: string;
  row?: number;
}

/**
 * A dataset file cannot be read as training data: it is missing or corrupt, lacks a column, or a
 * cell holds no usable value. Retrying does not help; the message says what to fix.
 */
export class DatasetReadError extends Error {
  override name = "DatasetReadError";
  readonly column: string | undefined;
  readonly row: number | undefined;

  constructor(message: string, location: DatasetErrorLocation = {}) {
    super(message);
    this.column = location.column;
    this.row = location.row;
  }
}
