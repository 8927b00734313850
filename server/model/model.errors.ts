import { PedigreeError } from "../errors/pedigree-error.js";
import { encodeNodeId } from "../graphql/node-id.js";

export class ModelNotFoundError extends PedigreeError {
  constructor(key: string, field: string) {
    super("NOT_FOUND", `Model "${key}" not found.`, { field, details: { entity: "Model" } });
  }
}

export class ModelVersionNotFoundError extends PedigreeError {
  constructor(key: string, field: string) {
    super("NOT_FOUND", `Model version "${key}" not found.`, { field, details: { entity: "ModelVersion" } });
  }
}

export class ModelAliasNotFoundError extends PedigreeError {
  constructor(modelName: string, alias: string, field: string) {
    super("NOT_FOUND", `Model "${modelName}" has no alias "${alias}".`, { field, details: { entity: "ModelAlias" } });
  }
}

/** An artifact already registered as a version is sent again from another URI. */
export class ModelVersionArtifactConflictError extends PedigreeError {
  constructor(modelName: string, version: number, storedUri: string, givenUri: string) {
    super(
      "CONFLICT",
      `Model "${modelName}" version ${version} has this artifact SHA-256 and is stored at artifactUri "${storedUri}", ` +
        `not "${givenUri}"; a version is immutable.`,
      { field: "input.artifactUri", details: { entity: "ModelVersion", version } },
    );
  }
}

/** A model version is registered again naming another run than the one that produced it. */
export class ModelVersionSourceRunConflictError extends PedigreeError {
  constructor(modelName: string, version: number, storedRunId: string, givenRun: string) {
    super(
      "CONFLICT",
      `Model "${modelName}" version ${version} was produced by run "${encodeNodeId("Run", storedRunId)}", not "${givenRun}".`,
      { field: "input.sourceRunId", details: { entity: "ModelVersion", version } },
    );
  }
}
