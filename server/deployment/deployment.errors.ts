import { PedigreeError } from "../errors/pedigree-error.js";
import { encodeNodeId } from "../graphql/node-id.js";

export class DeploymentNotFoundError extends PedigreeError {
  constructor(key: string, field: string) {
    super("NOT_FOUND", `Deployment "${key}" not found.`, { field, details: { entity: "Deployment" } });
  }
}

/** A deployment name is taken in the namespace by a deployment to another environment. */
export class DeploymentEnvironmentConflictError extends PedigreeError {
  constructor(name: string, existingEnvironment: string, requestedEnvironment: string) {
    super(
      "CONFLICT",
      `Deployment "${name}" already exists in environment "${existingEnvironment}", not "${requestedEnvironment}".`,
      { field: "input.environment", details: { entity: "Deployment" } },
    );
  }
}

/** createDeployment names an existing deployment with a traffic split other than the one it serves. */
export class DeploymentTrafficConflictError extends PedigreeError {
  constructor(name: string, currentRevision: number | null) {
    super(
      "CONFLICT",
      `Deployment "${name}" already exists and ` +
        (currentRevision === null ? "has no traffic split yet" : `revision ${currentRevision} splits its traffic differently`) +
        "; call setDeploymentTraffic to change its traffic split.",
      { field: "input.trafficSplit", details: { entity: "Deployment", currentRevision } },
    );
  }
}

/** A revision names a model version that cannot be read (the revision's split outlived it). */
export class DeploymentRevisionModelVersionMissingError extends PedigreeError {
  constructor(revision: number, modelVersionKey: string) {
    super(
      "NOT_FOUND",
      `Model version "${encodeNodeId("ModelVersion", modelVersionKey)}" of deployment revision ${revision} not found.`,
      { details: { entity: "ModelVersion" } },
    );
  }
}

/** A deployment change names a model version that is not READY (its artifact is unverified or wrong). */
export class ModelVersionNotReadyError extends PedigreeError {
  constructor(shownAs: string, field: string, status: string, reason: string | null) {
    super(
      "BAD_USER_INPUT",
      `Model version "${shownAs}" is ${status}, not READY, and cannot serve` +
        (reason ? `: ${reason}` : ".") +
        " Register a verified artifact or call verifyModelVersion.",
      { field, details: { entity: "ModelVersion", status } },
    );
  }
}
