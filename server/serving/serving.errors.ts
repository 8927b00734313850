import { PedigreeError } from "../errors/pedigree-error.js";

/** No deployment of that name in that namespace. */
export class PredictDeploymentNotFoundError extends PedigreeError {
  constructor(qualifiedName: string, field: string) {
    super("NOT_FOUND", `Deployment "${qualifiedName}" not found.`, { field, details: { entity: "Deployment" } });
  }
}

/** The deployment exists but no revision routes traffic to a model version yet. */
export class DeploymentHasNoTrafficError extends PedigreeError {
  constructor(qualifiedName: string) {
    super(
      "CONFLICT",
      `Deployment "${qualifiedName}" has no traffic split yet, so no model version can answer; set its traffic first.`,
      { details: { entity: "Deployment", reason: "NO_TRAFFIC" } },
    );
  }
}

/**
 * The model version chosen by the traffic split cannot serve: its artifact is missing, damaged or
 * not ONNX, or its signature does not say which features it reads. The operator's problem, not the
 * caller's: the message names the version but no file paths.
 */
export class ModelNotServableError extends PedigreeError {
  constructor(shownAs: string, problem: string) {
    super("SERVICE_UNAVAILABLE", `Model version "${shownAs}" cannot serve: ${problem}`, {
      details: { entity: "ModelVersion", modelVersion: shownAs },
    });
  }
}

/** HTTP status of a Pedigree error code on the REST predict route. */
export function httpStatusOf(code: string): number {
  switch (code) {
    case "BAD_USER_INPUT":
      return 400;
    case "UNAUTHENTICATED":
      return 401;
    case "FORBIDDEN":
      return 403;
    case "NOT_FOUND":
      return 404;
    case "CONFLICT":
      return 409;
    case "PAYLOAD_TOO_LARGE":
      return 413;
    case "SERVICE_UNAVAILABLE":
      return 503;
    default:
      return 500;
  }
}
