// Pearson chi-square tests on category counts.
import chiSquareCdf from "@stdlib/stats-base-dists-chisquare-cdf";
import { assertSameLength, toProportions } from "./proportions.js";

export interface ChiSquareTest {
  statistic: number;
  degreesOfFreedom: number;
  /** P(χ²_dof ≥ statistic); 1 when dof is 0 (a single category: nothing can differ). */
  pValue: number;
}

/** Upper tail of the chi-square distribution, 1 − CDF (underflows to 0 below ~1e-16). */
export function chiSquareSurvival(statistic: number, degreesOfFreedom: number): number {
  if (degreesOfFreedom === 0) return 1;
  return Math.min(1, Math.max(0, 1 - chiSquareCdf(statistic, degreesOfFreedom)));
}

/**
 * Test of homogeneity on the 2 × k contingency table of two samples' category counts (as
 * scipy.stats.chi2_contingency without continuity correction): Eᵣc = rowᵣ · colc / N,
 * χ² = Σ (Oᵣc − Eᵣc)² / Eᵣc, dof = k′ − 1 where k′ counts the categories seen in either sample
 * (categories empty in both carry no information and are dropped, so no expected count is 0).
 * Used for drift rather than a goodness-of-fit test because a category that the baseline never had
 * then still has a positive expected count.
 */
export function chiSquareHomogeneity(countsA: ArrayLike<number>, countsB: ArrayLike<number>): ChiSquareTest {
  assertSameLength(countsA, countsB, "chi-square");
  let totalA = 0;
  let totalB = 0;
  for (let i = 0; i < countsA.length; i++) {
    totalA += countsA[i] as number;
    totalB += countsB[i] as number;
  }
  if (!(totalA > 0 && totalB > 0)) throw new RangeError("chi-square test of an empty sample");
  const grandTotal = totalA + totalB;
  let statistic = 0;
  let categories = 0;
  for (let i = 0; i < countsA.length; i++) {
    const a = countsA[i] as number;
    const b = countsB[i] as number;
    const column = a + b;
    if (column === 0) continue;
    categories++;
    const expectedA = (totalA * column) / grandTotal;
    const expectedB = (totalB * column) / grandTotal;
    statistic += (a - expectedA) ** 2 / expectedA + (b - expectedB) ** 2 / expectedB;
  }
  const degreesOfFreedom = categories - 1;
  return { statistic, degreesOfFreedom, pValue: chiSquareSurvival(statistic, degreesOfFreedom) };
}

/**
 * Goodness-of-fit test of `observed` counts against `expected` weights (counts or proportions,
 * rescaled to the observed total; uniform when omitted), as scipy.stats.chisquare:
 * χ² = Σ (Oᵢ − Eᵢ)² / Eᵢ, dof = k − 1. Every expected weight must be positive.
 */
export function chiSquareGoodnessOfFit(observed: ArrayLike<number>, expected?: ArrayLike<number>): ChiSquareTest {
  const weights = expected ?? new Float64Array(observed.length).fill(1);
  assertSameLength(observed, weights, "chi-square");
  const expectedProportions = toProportions(weights);
  let total = 0;
  for (let i = 0; i < observed.length; i++) total += observed[i] as number;
  if (!(total > 0)) throw new RangeError("chi-square test of an empty sample");
  let statistic = 0;
  for (let i = 0; i < observed.length; i++) {
    const expectedCount = (expectedProportions[i] as number) * total;
    if (!(expectedCount > 0)) throw new RangeError("chi-square goodness of fit needs every expected weight to be positive");
    statistic += ((observed[i] as number) - expectedCount) ** 2 / expectedCount;
  }
  const degreesOfFreedom = observed.length - 1;
  return { statistic, degreesOfFreedom, pValue: chiSquareSurvival(statistic, degreesOfFreedom) };
}
