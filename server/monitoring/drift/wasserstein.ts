// Wasserstein-1 (earth mover's) distance between one-dimensional samples.
import { isAscending } from "./quantiles.js";

/**
 * W₁(u, v) = ∫ |U(x) − V(x)| dx between the empirical CDFs of two ascending samples, optionally
 * weighted (weights aligned with the sorted values), in O(n + m). Same value as
 * scipy.stats.wasserstein_distance. In the units of the values.
 */
export function wassersteinSorted(
  sortedU: ArrayLike<number>,
  sortedV: ArrayLike<number>,
  uWeights?: ArrayLike<number>,
  vWeights?: ArrayLike<number>,
): number {
  const n = sortedU.length;
  const m = sortedV.length;
  if (n === 0 || m === 0) throw new RangeError("Wasserstein distance of an empty sample");
  const uTotal = weightTotal(uWeights, n);
  const vTotal = weightTotal(vWeights, m);
  let i = 0;
  let j = 0;
  let uMass = 0;
  let vMass = 0;
  let previous = Math.min(sortedU[0] as number, sortedV[0] as number);
  let distance = 0;
  while (i < n || j < m) {
    const x =
      j >= m || (i < n && (sortedU[i] as number) <= (sortedV[j] as number)) ? (sortedU[i] as number) : (sortedV[j] as number);
    // The CDFs are constant on [previous, x): add the area between them.
    distance += Math.abs(uMass / uTotal - vMass / vTotal) * (x - previous);
    for (; i < n && (sortedU[i] as number) <= x; i++) uMass += uWeights ? (uWeights[i] as number) : 1;
    for (; j < m && (sortedV[j] as number) <= x; j++) vMass += vWeights ? (vWeights[j] as number) : 1;
    previous = x;
  }
  return distance;
}

/** W₁ of two samples in any order, optionally weighted (as scipy.stats.wasserstein_distance). */
export function wassersteinDistance(
  u: ArrayLike<number>,
  v: ArrayLike<number>,
  uWeights?: ArrayLike<number>,
  vWeights?: ArrayLike<number>,
): number {
  const [sortedU, sortedUWeights] = sortWithWeights(u, uWeights);
  const [sortedV, sortedVWeights] = sortWithWeights(v, vWeights);
  return wassersteinSorted(sortedU, sortedV, sortedUWeights, sortedVWeights);
}

function weightTotal(weights: ArrayLike<number> | undefined, length: number): number {
  if (!weights) return length;
  if (weights.length !== length) throw new RangeError(`${weights.length} weights for ${length} values`);
  let total = 0;
  for (let i = 0; i < length; i++) {
    const weight = weights[i] as number;
    if (!(weight >= 0) || !Number.isFinite(weight)) throw new RangeError(`weight ${weight} is not a finite non-negative number`);
    total += weight;
  }
  if (!(total > 0)) throw new RangeError("weights sum to 0");
  return total;
}

function sortWithWeights(
  values: ArrayLike<number>,
  weights: ArrayLike<number> | undefined,
): [ArrayLike<number>, ArrayLike<number> | undefined] {
  if (isAscending(values)) return [values, weights];
  if (!weights) return [Float64Array.from(values).sort(), undefined];
  if (weights.length !== values.length) throw new RangeError(`${weights.length} weights for ${values.length} values`);
  const order = Array.from({ length: values.length }, (_, index) => index).sort(
    (a, b) => (values[a] as number) - (values[b] as number),
  );
  return [
    Float64Array.from(order, (index) => values[index] as number),
    Float64Array.from(order, (index) => weights[index] as number),
  ];
}
