// Population Stability Index.
import { assertSameLength, flooredProportions, PROPORTION_FLOOR } from "./proportions.js";

/**
 * PSI = Σᵢ (qᵢ − pᵢ) · ln(qᵢ / pᵢ) for expected (baseline) proportions p and observed (current)
 * proportions q over the same bins, after the empty-bin floor (see PROPORTION_FLOOR). It equals
 * KL(q‖p) + KL(p‖q). Common reading: < 0.1 stable, 0.1–0.2 moderate shift, > 0.2 significant.
 */
export function populationStabilityIndex(
  expectedCounts: ArrayLike<number>,
  observedCounts: ArrayLike<number>,
  floor: number = PROPORTION_FLOOR,
): number {
  assertSameLength(expectedCounts, observedCounts, "PSI");
  const expected = flooredProportions(expectedCounts, floor);
  const observed = flooredProportions(observedCounts, floor);
  let psi = 0;
  for (let i = 0; i < expected.length; i++) {
    const p = expected[i] as number;
    const q = observed[i] as number;
    psi += (q - p) * Math.log(q / p);
  }
  return psi;
}
