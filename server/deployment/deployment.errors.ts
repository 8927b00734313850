import { PedigreeError } from "../errors/pedigree-error.js";

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
