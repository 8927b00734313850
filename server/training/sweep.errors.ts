import { PedigreeError } from "../errors/pedigree-error.js";

/**
 * A search space that cannot be run: empty, too many trials, an unknown hyperparameter, a bad
 * range or value. `reason` tells the kinds apart for clients (extensions.reason).
 */
export class SweepSpaceError extends PedigreeError {
  constructor(field: string, problem: string, details: { reason?: string; maxTrials?: number } = {}) {
    super("BAD_USER_INPUT", `Field "${field}" ${problem}`, {
      field,
      details: {
        reason: details.reason ?? "INVALID_SEARCH_SPACE",
        ...(details.maxTrials ? { maxTrials: details.maxTrials } : {}),
      },
    });
  }
}

/** One trial's settings (base hyperparameters + the trial's values) are not valid training settings. */
export class SweepTrialInvalidError extends PedigreeError {
  constructor(field: string, trial: number, params: Record<string, unknown>, problem: string) {
    super("BAD_USER_INPUT", `Trial ${trial} (${JSON.stringify(params)}) has invalid settings: ${problem}`, {
      field,
      details: { reason: "INVALID_TRIAL", trial },
    });
  }
}
