import { type LatencySummary, summarize } from "./stats.js";

export interface LoopOptions {
  warmup: number;
  iterations: number;
}

export interface LoopResult extends LatencySummary {
  /** Median of what the measured call returned (result size, e.g. nodes). */
  medianSize: number;
  maxSize: number;
}

/**
 * Sequential latency of `call` (one at a time: the figure is what one user waits), a different
 * target each iteration (round robin); the warm-up iterations start further along the list so
 * the measured ones do not all hit warmed-up targets first.
 */
export async function latencyLoop<T>(targets: readonly T[], call: (target: T) => Promise<number>, options: LoopOptions) {
  if (targets.length === 0) throw new Error("no targets");
  for (let i = 0; i < options.warmup; i++) await call(targets[(i + Math.floor(targets.length / 2)) % targets.length]!);
  const samples: number[] = [];
  const sizes: number[] = [];
  for (let i = 0; i < options.iterations; i++) {
    const target = targets[i % targets.length]!;
    const started = performance.now();
    const size = await call(target);
    samples.push(performance.now() - started);
    sizes.push(size);
  }
  sizes.sort((a, b) => a - b);
  return { ...summarize(samples), medianSize: sizes[Math.floor(sizes.length / 2)]!, maxSize: sizes.at(-1)! } satisfies LoopResult;
}
