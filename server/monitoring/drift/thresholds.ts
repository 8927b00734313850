// When a feature counts as drifted.

/**
 * Thresholds that mark a feature as drifted; a measure without a threshold does not vote.
 * Distances drift when they exceed their threshold; p-values when they fall below theirs.
 */
export interface DriftThresholds {
  psi?: number | undefined;
  kl?: number | undefined;
  jsDistance?: number | undefined;
  wasserstein?: number | undefined;
  /** Drifted when the KS p-value is below this (numeric features). */
  ksPValue?: number | undefined;
  /** Drifted when the chi-square p-value is below this (categorical features). */
  chiSquarePValue?: number | undefined;
}

export type DriftMeasure = keyof DriftThresholds;

/** PSI > 0.2, the default drift alert rule; thresholds given by a caller are merged over these. */
export const DEFAULT_DRIFT_THRESHOLDS: Readonly<DriftThresholds> = { psi: 0.2 };

const P_VALUE_MEASURES: ReadonlySet<DriftMeasure> = new Set(["ksPValue", "chiSquarePValue"]);

/** The measures whose value crosses its threshold, in a fixed order. */
export function driftedMeasures(values: Partial<Record<DriftMeasure, number>>, thresholds: DriftThresholds): DriftMeasure[] {
  const crossed: DriftMeasure[] = [];
  for (const measure of ["psi", "kl", "jsDistance", "wasserstein", "ksPValue", "chiSquarePValue"] as const) {
    const threshold = thresholds[measure];
    const value = values[measure];
    if (threshold === undefined || value === undefined) continue;
    if (P_VALUE_MEASURES.has(measure) ? value < threshold : value > threshold) crossed.push(measure);
  }
  return crossed;
}
