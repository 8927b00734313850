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

/** What a caller tried to change on a run: its status, or a field that only an unfinished run accepts. */
export type RunStateChange =
  | { status: RunStatus; allowed: RunStatus[] }
  | { field: "errorMessage" | "endedAt" }
  | { metrics: true };

function stateMessage(runId: string, from: RunStatus, change: RunStateChange): string {
  if ("status" in change) {
    return (
      `Run "${runId}" is ${from} and cannot become ${change.status}` +
      (change.allowed.length ? `; allowed next: ${change.allowed.join(", ")}.` : `; ${from} is final.`)
    );
  }
  if ("field" in change) return `Run "${runId}" is ${from} and cannot change its ${change.field}; ${from} is final.`;
  return `Run "${runId}" is ${from}; metrics must be logged before a run finishes.`;
}

function stateField(change: RunStateChange): string {
  if ("status" in change) return "input.status";
  return "field" in change ? `input.${change.field}` : "input.runId";
}

/**
 * A change the run lifecycle does not allow: a status move it forbids (e.g. COMPLETED → RUNNING),
 * or any change to a finished run (COMPLETED, FAILED and ABORTED runs are immutable).
 */
export class RunStateError extends PedigreeError {
  constructor(runId: string, from: RunStatus, change: RunStateChange) {
    super("CONFLICT", stateMessage(runId, from, change), {
      field: stateField(change),
      details: { from, ...("status" in change ? { to: change.status } : {}) },
    });
  }
}

/** The same client run id was already used for a run of another job. */
export class RunExternalIdConflictError extends PedigreeError {
  constructor(externalId: string) {
    super("CONFLICT", `Run id "${externalId}" already belongs to a run of another job.`, { field: "input.externalId" });
  }
}
