import { PedigreeError } from "../errors/pedigree-error.js";
import type { EventProblem } from "./openlineage-validator.js";

/** An event the OpenLineage schemas refuse; `problems` lists each JSON path and what is wrong there. */
export class OpenLineageEventInvalidError extends PedigreeError {
  constructor(readonly problems: EventProblem[]) {
    const first = problems[0];
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? "s" : ""})` : "";
    super("BAD_USER_INPUT", `OpenLineage event is invalid: ${first?.path ?? "$"} ${first?.message ?? "is invalid."}${more}`, {
      field: first?.path ?? "$",
      details: { problems },
    });
  }
}

/** A request body that is not what the endpoint reads (not JSON, an empty batch, too many events…). */
export class OpenLineageBodyInvalidError extends PedigreeError {
  constructor(message: string, path = "$") {
    super("BAD_USER_INPUT", message, { field: path, details: { problems: [{ path, message }] } });
  }
}
