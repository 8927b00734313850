/** Base class of every error the training core throws on purpose; the worker maps it to a FAILED run. */
export class TrainingError extends Error {
  override name = "TrainingError";
}

/** Where in the input a data problem sits: a feature column or the target, and a 0-based row. */
export interface DataErrorLocation {
  column?: string;
  row?: number;
}

/** The feature matrix or the target cannot be trained on (NaN, Infinity, empty, one class, bad shape). */
export class TrainingDataError extends TrainingError {
  override name = "TrainingDataError";
  readonly column: string | undefined;
  readonly row: number | undefined;

  constructor(message: string, location: DataErrorLocation = {}) {
    super(message);
    this.column = location.column;
    this.row = location.row;
  }
}

/** A hyperparameter is out of range or missing; `field` is its key in TrainingSpec. */
export class TrainingSpecError extends TrainingError {
  override name = "TrainingSpecError";
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`Training spec field "${field}" ${problem}`);
  }
}

/** The loss became NaN or infinite: the learning rate is too large for this data. */
export class TrainingDivergedError extends TrainingError {
  override name = "TrainingDivergedError";
  constructor(readonly epoch: number) {
    super(`Training diverged in epoch ${epoch} (loss is not finite); lower the learning rate.`);
  }
}

/** The caller's AbortSignal fired; no model was produced. */
export class TrainingAbortedError extends TrainingError {
  override name = "TrainingAbortedError";
  constructor(readonly epoch: number) {
    super(`Training was aborted after ${epoch} epoch(s).`);
  }
}
