import { PedigreeError } from "../errors/pedigree-error.js";

/** An alert id that is well formed but names no alert. */
export class AlertNotFoundError extends PedigreeError {
  constructor(shownAs: string, field: string) {
    super("NOT_FOUND", `Alert "${shownAs}" not found.`, { field, details: { entity: "Alert" } });
  }
}

/** A status change an alert cannot make (a resolved alert is final). */
export class AlertStatusConflictError extends PedigreeError {
  constructor(shownAs: string, status: string, wanted: string) {
    super("CONFLICT", `Alert "${shownAs}" is ${status} and cannot be ${wanted}.`, { details: { entity: "Alert", status } });
  }
}

/** Prediction ids that the prediction log does not hold. */
export class PredictionNotFoundError extends PedigreeError {
  constructor(field: string, predictionId: string, missing: number) {
    super(
      "NOT_FOUND",
      `Prediction "${predictionId}" not found in the prediction log${missing > 1 ? ` (nor ${missing - 1} other id(s))` : ""}; nothing was recorded.`,
      { field, details: { entity: "Prediction" } },
    );
  }
}
