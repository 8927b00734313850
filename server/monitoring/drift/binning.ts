// Histogram bins for numeric columns: quantile cut points of the baseline and bin assignment.
import { quantileOfSorted, upperBound } from "./quantiles.js";

/** Baseline histograms use deciles: 10 bins holding about a tenth of the training values each. */
export const DEFAULT_BIN_COUNT = 10;

/**
 * Interior cut points of a quantile binning of ascending `sorted` values: the type-7 quantiles at
 * i / binCount for i = 1 … binCount − 1, with repeated values dropped (a value that fills several
 * deciles yields one cut point, so fewer bins).
 *
 * The cut points e₁ < … < e_k define k + 1 bins, the outer two open-ended:
 * (−∞, e₁), [e₁, e₂), …, [e_k, +∞). Production values below or above the training range land in
 * the outer bins, and no infinity is ever stored (JSON has none).
 */
export function quantileBinEdges(sorted: ArrayLike<number>, binCount: number = DEFAULT_BIN_COUNT): number[] {
  if (!Number.isInteger(binCount) || binCount < 1) throw new RangeError(`bin count must be a positive integer, got ${binCount}`);
  const edges: number[] = [];
  for (let i = 1; i < binCount; i++) {
    const edge = quantileOfSorted(sorted, i / binCount);
    if (edges.length === 0 || edge > (edges[edges.length - 1] as number)) edges.push(edge);
  }
  return edges;
}

/** Index of the bin holding `value` for interior cut points `edges` (bins are closed on the left). */
export function binIndex(edges: ArrayLike<number>, value: number): number {
  return upperBound(edges, value);
}

/** Counts of `values` per bin of `edges` (edges.length + 1 bins); every value must be a finite number. */
export function binCounts(edges: ArrayLike<number>, values: ArrayLike<number>): number[] {
  const counts = new Float64Array(edges.length + 1);
  for (let i = 0; i < values.length; i++) {
    const bin = upperBound(edges, values[i] as number);
    counts[bin] = (counts[bin] as number) + 1;
  }
  return Array.from(counts);
}
