import { PedigreeError } from "../errors/pedigree-error.js";

/** Lineage starts at a node of the lineage graph, not at a namespace, dataset or model. */
export class LineageRootKindError extends PedigreeError {
  constructor(kind: string, field: string) {
    super(
      "BAD_USER_INPUT",
      `Field "${field}" must be the id of a dataset version, feature, code commit, run, model version or deployment; got a ${kind}.`,
      { field },
    );
  }
}
