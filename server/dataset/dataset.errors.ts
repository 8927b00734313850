import { PedigreeError } from "../errors/pedigree-error.js";
import { encodeNodeId } from "../graphql/node-id.js";

export class DatasetNotFoundError extends PedigreeError {
  constructor(key: string, field: string) {
    super("NOT_FOUND", `Dataset "${key}" not found.`, { field, details: { entity: "Dataset" } });
  }
}

export class DatasetVersionNotFoundError extends PedigreeError {
  constructor(key: string, field: string) {
    super("NOT_FOUND", `Dataset version "${key}" not found.`, { field, details: { entity: "DatasetVersion" } });
  }
}

/** A digest already registered as a version is sent again with another uri or format. */
export class DatasetVersionConflictError extends PedigreeError {
  constructor(dataset: string, version: number, property: "uri" | "format", stored: string, given: string) {
    super(
      "CONFLICT",
      `Dataset "${dataset}" version ${version} has this digest and is stored with ${property} "${stored}", not "${given}"; ` +
        "a version is immutable.",
      { field: `input.${property}`, details: { entity: "DatasetVersion", version } },
    );
  }
}

/** A dataset version is registered again naming another run than the one that produced it. */
export class DatasetVersionProducerConflictError extends PedigreeError {
  constructor(dataset: string, version: number, storedRunId: string, givenRun: string) {
    super(
      "CONFLICT",
      `Dataset "${dataset}" version ${version} was produced by run "${encodeNodeId("Run", storedRunId)}", not "${givenRun}".`,
      { field: "input.producedByRunId", details: { entity: "DatasetVersion", version } },
    );
  }
}

/** Column lineage already registered for a field pair is sent again with other transformations or run. */
export class ColumnLineageConflictError extends PedigreeError {
  constructor(field: string, output: { version: string; field: string }, input: { version: string; field: string }) {
    super(
      "CONFLICT",
      `Field "${output.field}" of dataset version "${output.version}" is already derived from field "${input.field}" of ` +
        `dataset version "${input.version}" with other transformations or another run; a version's lineage is immutable.`,
      { field, details: { entity: "DatasetField" } },
    );
  }
}
