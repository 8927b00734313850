import { PedigreeError } from "../errors/pedigree-error.js";

/** A rollout is asked for while another one of the deployment is in progress. */
export class RolloutInProgressError extends PedigreeError {
  constructor(deploymentShownAs: string, startRevision: number) {
    super(
      "CONFLICT",
      `Deployment "${deploymentShownAs}" has a canary rollout in progress (since revision ${startRevision}); promote or roll it back first.`,
      { field: "input.deploymentId", details: { entity: "Rollout", startRevision } },
    );
  }
}

/** promote or rollback of a deployment that has no canary rollout in progress. */
export class NoRolloutInProgressError extends PedigreeError {
  constructor(deploymentShownAs: string, field: string) {
    super("CONFLICT", `Deployment "${deploymentShownAs}" has no canary rollout in progress.`, {
      field,
      details: { entity: "Rollout" },
    });
  }
}
