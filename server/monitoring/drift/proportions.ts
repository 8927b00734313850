// Counts → proportions, and the empty-bin rule for the measures that divide by a proportion.

/**
 * Floor applied to bin proportions before PSI and KL divergence, which are infinite when a bin is
 * empty on one side: every proportion below 1e-4 is raised to 1e-4 and the vector is renormalized
 * to sum to 1. Bins with at least 0.01 % of the values are left untouched (so the usual worked
 * examples come out exactly), an empty bin counts as "one in ten thousand", and both vectors stay
 * probability distributions (KL ≥ 0).
 */
export const PROPORTION_FLOOR = 1e-4;

function total(counts: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < counts.length; i++) {
    const count = counts[i] as number;
    if (!(count >= 0) || !Number.isFinite(count)) throw new RangeError(`count ${count} is not a finite non-negative number`);
    sum += count;
  }
  return sum;
}

/** `counts` divided by their sum; throws when the sum is 0 (there is no distribution to compare). */
export function toProportions(counts: ArrayLike<number>): Float64Array {
  const sum = total(counts);
  if (sum === 0) throw new RangeError("proportions of all-zero counts");
  const proportions = new Float64Array(counts.length);
  for (let i = 0; i < counts.length; i++) proportions[i] = (counts[i] as number) / sum;
  return proportions;
}

/** Proportions of `counts` with each one raised to at least `floor`, renormalized to sum to 1. */
export function flooredProportions(counts: ArrayLike<number>, floor: number = PROPORTION_FLOOR): Float64Array {
  if (!(floor >= 0 && floor * counts.length < 1)) throw new RangeError(`proportion floor ${floor} is out of range`);
  const proportions = toProportions(counts);
  let sum = 0;
  let raised = false;
  for (let i = 0; i < proportions.length; i++) {
    if ((proportions[i] as number) < floor) {
      proportions[i] = floor;
      raised = true;
    }
    sum += proportions[i] as number;
  }
  if (raised) for (let i = 0; i < proportions.length; i++) proportions[i] = (proportions[i] as number) / sum;
  return proportions;
}

export function assertSameLength(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  if (a.length !== b.length) throw new RangeError(`${what}: ${a.length} bins against ${b.length}`);
  if (a.length === 0) throw new RangeError(`${what}: no bins`);
}
