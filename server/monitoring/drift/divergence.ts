// Kullback–Leibler divergence and Jensen–Shannon distance between discrete distributions.
import { assertSameLength } from "./proportions.js";

/**
 * KL(p‖q) = Σᵢ pᵢ · ln(pᵢ / qᵢ) in nats, for proportions p and q over the same bins (terms with
 * pᵢ = 0 are 0). Infinite when some qᵢ = 0 < pᵢ: callers floor empty bins first (PROPORTION_FLOOR).
 */
export function klDivergence(p: ArrayLike<number>, q: ArrayLike<number>): number {
  assertSameLength(p, q, "KL divergence");
  let divergence = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i] as number;
    if (pi > 0) divergence += pi * Math.log(pi / (q[i] as number));
  }
  // Rounding can leave a tiny negative number for identical inputs; KL is never negative.
  return Math.max(0, divergence);
}

/**
 * Jensen–Shannon distance with base-2 logarithms: √JSD, JSD = ½·KL₂(p‖m) + ½·KL₂(q‖m),
 * m = ½(p + q). Symmetric, a metric, in [0, 1]: 0 for identical distributions, 1 for disjoint
 * supports. Finite with empty bins (0·log 0 = 0), so it takes raw proportions, without the floor.
 * Same value as scipy.spatial.distance.jensenshannon(p, q, base=2).
 */
export function jensenShannonDistance(p: ArrayLike<number>, q: ArrayLike<number>): number {
  assertSameLength(p, q, "Jensen–Shannon distance");
  let divergence = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i] as number;
    const qi = q[i] as number;
    const mi = (pi + qi) / 2;
    if (pi > 0) divergence += pi * Math.log2(pi / mi);
    if (qi > 0) divergence += qi * Math.log2(qi / mi);
  }
  return Math.sqrt(Math.min(1, Math.max(0, divergence / 2)));
}
