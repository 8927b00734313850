import { DEFAULT_MAX_SWEEP_TRIALS } from "./sweep-space.js";
import type { SweepServiceOptions } from "./sweep.service.js";

/** Sweep limits from the environment: PEDIGREE_MAX_SWEEP_TRIALS (1–10,000, default 100). */
export function loadSweepConfig(env: NodeJS.ProcessEnv = process.env): SweepServiceOptions {
  const raw = env.PEDIGREE_MAX_SWEEP_TRIALS;
  if (raw === undefined || raw === "") return { maxTrials: DEFAULT_MAX_SWEEP_TRIALS };
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 10_000) {
    throw new Error(`Environment variable PEDIGREE_MAX_SWEEP_TRIALS must be a whole number from 1 to 10000; got "${raw}".`);
  }
  return { maxTrials: value };
}
