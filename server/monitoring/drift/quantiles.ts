// Order statistics on ascending sorted arrays: quantiles and binary searches.

/**
 * The `probability` quantile of ascending `sorted` values by linear interpolation between order
 * statistics (Hyndman & Fan type 7; numpy's and R's default): h = (n − 1)·p, then
 * x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋ + 1] − x[⌊h⌋]).
 */
export function quantileOfSorted(sorted: ArrayLike<number>, probability: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError("quantile of an empty array");
  if (!(probability >= 0 && probability <= 1)) throw new RangeError(`quantile probability ${probability} is not in [0, 1]`);
  const h = (n - 1) * probability;
  const lower = Math.floor(h);
  const below = sorted[lower] as number;
  if (lower >= n - 1) return below;
  const above = sorted[lower + 1] as number;
  const fraction = h - lower;
  // Written so that equal neighbours give exactly that value (no rounding drift).
  return fraction === 0 ? below : below + fraction * (above - below);
}

/** Number of entries ≤ `value` in ascending `sorted`, i.e. the index of the first entry > `value`. */
export function upperBound(sorted: ArrayLike<number>, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as number) <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Number of entries < `value` in ascending `sorted`, i.e. the index of the first entry ≥ `value`. */
export function lowerBound(sorted: ArrayLike<number>, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as number) < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** True when `values` is ascending (ties allowed). */
export function isAscending(values: ArrayLike<number>): boolean {
  for (let i = 1; i < values.length; i++) {
    if ((values[i] as number) < (values[i - 1] as number)) return false;
  }
  return true;
}
