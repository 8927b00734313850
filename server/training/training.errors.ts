import { PedigreeError } from "../errors/pedigree-error.js";

/** A dataset version that the training worker cannot read: not a local file, or not CSV / Parquet. */
export class DatasetNotTrainableError extends PedigreeError {
  constructor(field: string, shownAs: string, reason: string) {
    super("BAD_USER_INPUT", `Dataset version "${shownAs}" cannot be trained on: ${reason}`, {
      field,
      details: { entity: "DatasetVersion" },
    });
  }
}

/** A feature or target column that the dataset version's schema does not have. */
export class UnknownColumnError extends PedigreeError {
  constructor(field: string, column: string, shownAs: string, known: readonly string[]) {
    const listed = known.slice(0, 20).join(", ") + (known.length > 20 ? `, … (${known.length} columns)` : "");
    super("BAD_USER_INPUT", `Column "${column}" is not in the schema of dataset version "${shownAs}" (its columns: ${listed}).`, {
      field,
      details: { column },
    });
  }
}
