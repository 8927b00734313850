/**
 * Fixed latency buckets shared by the serving process (which counts into them) and every reader of
 * serving_stats_bucket (which merges and reads quantiles from them). Upper bounds in ms, growing by
 * 20 % from 0.05 ms to ~2 min, plus one overflow bucket: a quantile is known to within one bucket
 * (±10 %). Changing these bounds changes the meaning of stored rows, so it needs a migration.
 */
export const LATENCY_BUCKET_BOUNDS_MS: readonly number[] = Array.from({ length: 81 }, (_, i) =>
  Number((0.05 * 1.2 ** i).toPrecision(4)),
);

/** Number of counts per histogram: one per bound plus the overflow bucket. */
export const LATENCY_BUCKET_COUNT = LATENCY_BUCKET_BOUNDS_MS.length + 1;

/** Index of the bucket holding `ms`: the first whose upper bound is ≥ ms (the overflow bucket past the last). */
export function latencyBucketIndex(ms: number): number {
  let low = 0;
  let high = LATENCY_BUCKET_BOUNDS_MS.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (LATENCY_BUCKET_BOUNDS_MS[mid]! >= ms) high = mid;
    else low = mid + 1;
  }
  return low;
}

export function emptyLatencyCounts(): number[] {
  return new Array<number>(LATENCY_BUCKET_COUNT).fill(0);
}

/**
 * The q-quantile (0 < q ≤ 1) of a histogram, interpolated linearly inside its bucket; null when
 * the histogram is empty. The overflow bucket answers with the last bound (a lower bound).
 */
export function latencyQuantile(counts: readonly number[], q: number): number | null {
  const total = counts.reduce((sum, count) => sum + count, 0);
  if (total === 0) return null;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    const count = counts[i] ?? 0;
    if (count > 0 && seen + count >= rank) {
      if (i >= LATENCY_BUCKET_BOUNDS_MS.length) return LATENCY_BUCKET_BOUNDS_MS[LATENCY_BUCKET_BOUNDS_MS.length - 1]!;
      const lower = i === 0 ? 0 : LATENCY_BUCKET_BOUNDS_MS[i - 1]!;
      const upper = LATENCY_BUCKET_BOUNDS_MS[i]!;
      return lower + ((rank - seen) / count) * (upper - lower);
    }
    seen += count;
  }
  return LATENCY_BUCKET_BOUNDS_MS[LATENCY_BUCKET_BOUNDS_MS.length - 1]!;
}
