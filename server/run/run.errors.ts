import { PedigreeError } from "../errors/pedigree-error.js";
import type { RunStatus } from "./run-record.js";

export class RunNotFoundError extends PedigreeError {
  constructor(key: string, field: string) {
    super("NOT_FOUND", `Run "${key}" not found.`, { field, details: { entity: "Run" } });
  }
}

export class JobNotFoundError extends PedigreeError {
  constructor(key: string, field: string) {
    super("NOT_FOUND", `Job "${key}" not found.`, { field, details: { entity: "Job" } });
  }
}

/** A status change the run lifecycle does not allow (e.g. COMPLETED → RUNNING). */
export class RunStateError extends PedigreeError {
  constructor(runId: string, from: RunStatus, to: RunStatus, allowed: RunStatus[]) {
    super(
      "CONFLICT",
      `Run "${runId}" is ${from} and cannot become ${to}` +
        (allowed.length ? `; allowed next: ${allowed.join(", ")}.` : `; ${from} is final.`),
      { field: "input.status", details: { from, to } },
    );
  }
}

/** The same client run id was already used for a run of another job. */
export class RunExternalIdConflictError extends PedigreeError {
  constructor(externalId: string) {
    super("CONFLICT", `Run id "${externalId}" already belongs to a run of another job.`, { field: "input.externalId" });
  }
}
