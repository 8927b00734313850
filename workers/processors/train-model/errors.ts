import { PedigreeError } from "../../../server/errors/pedigree-error.js";
import { DatasetReadError } from "../../datasets/dataset-errors.js";
import { TrainingError } from "../../training/index.js";
import { PermanentJobError } from "../../worker-host.js";

/**
 * Failures that another attempt would repeat: bad data or settings (training is deterministic, so a
 * diverging model diverges again) and refusals of the record (a missing dataset version, a conflict).
 * Anything else — a database or disk hiccup — is worth a retry.
 */
export function isPermanent(error: unknown): boolean {
  if (error instanceof PermanentJobError || error instanceof DatasetReadError || error instanceof TrainingError) return true;
  return error instanceof PedigreeError && error.code !== "SERVICE_UNAVAILABLE" && error.code !== "INTERNAL_SERVER_ERROR";
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
