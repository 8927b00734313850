// Two-sample Kolmogorov–Smirnov test.
import { isAscending } from "./quantiles.js";

export interface KsTest {
  /** D = supₓ |F(x) − G(x)| between the two empirical CDFs, in [0, 1]. */
  statistic: number;
  /** Asymptotic two-sided p-value (see ksPValue). */
  pValue: number;
}

/**
 * D statistic of two ascending samples, in O(n + m): walk both arrays, stepping past every copy
 * of the next smallest value in both before comparing the two empirical CDFs, so ties are exact.
 */
export function ksStatistic(sortedA: ArrayLike<number>, sortedB: ArrayLike<number>): number {
  const n = sortedA.length;
  const m = sortedB.length;
  if (n === 0 || m === 0) throw new RangeError("KS statistic of an empty sample");
  let i = 0;
  let j = 0;
  let statistic = 0;
  while (i < n && j < m) {
    const x = Math.min(sortedA[i] as number, sortedB[j] as number);
    while (i < n && (sortedA[i] as number) <= x) i++;
    while (j < m && (sortedB[j] as number) <= x) j++;
    const gap = Math.abs(i / n - j / m);
    if (gap > statistic) statistic = gap;
  }
  // Once one sample is exhausted its CDF is 1 and the other's only grows towards 1: no larger gap.
  return statistic;
}

/**
 * Survival function of the Kolmogorov distribution,
 * Q_KS(λ) = 2 Σ_{j≥1} (−1)^{j−1} e^{−2j²λ²} = P(K > λ),
 * evaluated as in Numerical Recipes (3rd ed., §6.14, `KSdist::qks`): for λ < 1.18 through the
 * Jacobi-theta form 1 − (√(2π)/λ) Σ_{j≥1} e^{−(2j−1)²π²/(8λ²)}, which converges fast there,
 * otherwise the alternating series above to three terms; both agree with the full series to ~1e-15.
 */
export function kolmogorovSurvival(lambda: number): number {
  if (!(lambda >= 0)) throw new RangeError(`Kolmogorov λ ${lambda} must be ≥ 0`);
  if (lambda === 0) return 1;
  if (lambda < 1.18) {
    const y = Math.exp(-(Math.PI * Math.PI) / (8 * lambda * lambda));
    const cdf = (Math.sqrt(2 * Math.PI) / lambda) * (y + y ** 9 + y ** 25 + y ** 49);
    return 1 - cdf;
  }
  const x = Math.exp(-2 * lambda * lambda);
  return 2 * (x - x ** 4 + x ** 9);
}

/**
 * Two-sided p-value of a two-sample KS statistic `d` for sample sizes n and m: the asymptotic
 * Kolmogorov distribution with Stephens' small-sample correction, as Numerical Recipes `kstwo`
 * (3rd ed., §14.3): Nₑ = n·m / (n + m), λ = (√Nₑ + 0.12 + 0.11/√Nₑ) · d, p = Q_KS(λ).
 * (scipy's ks_2samp(method="asymp") instead evaluates the exact one-sample distribution at
 * round(Nₑ), so its p-values differ slightly, most for small samples.)
 */
export function ksPValue(statistic: number, n: number, m: number): number {
  if (!(statistic >= 0 && statistic <= 1)) throw new RangeError(`KS statistic ${statistic} is not in [0, 1]`);
  if (!(n > 0 && m > 0)) throw new RangeError("KS p-value needs two non-empty samples");
  const root = Math.sqrt((n * m) / (n + m));
  return Math.min(1, Math.max(0, kolmogorovSurvival((root + 0.12 + 0.11 / root) * statistic)));
}

/** KS statistic and p-value of two ascending samples. */
export function ksTestSorted(sortedA: ArrayLike<number>, sortedB: ArrayLike<number>): KsTest {
  const statistic = ksStatistic(sortedA, sortedB);
  return { statistic, pValue: ksPValue(statistic, sortedA.length, sortedB.length) };
}

/** KS test of two samples in any order (sorts copies; values must be finite numbers). */
export function ksTest(a: ArrayLike<number>, b: ArrayLike<number>): KsTest {
  const sortedA = isAscending(a) ? a : Float64Array.from(a).sort();
  const sortedB = isAscending(b) ? b : Float64Array.from(b).sort();
  return ksTestSorted(sortedA, sortedB);
}
