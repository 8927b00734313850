// Seeded, bounded uniform sample of a stream of numbers.
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import type { RandomGenerator } from "pure-rand/types/RandomGenerator";
import { seededGenerator } from "./random.js";

/**
 * Reservoir sampling, Li's Algorithm L (ACM TOMS 20(4), 1994): after `capacity` values every value
 * offered so far is in the sample with the same probability capacity / seen, and the generator is
 * only drawn when a value is taken (O(k·(1 + log(N/k))) draws for N values), so offering a value is
 * a counter comparison. The same seed and the same sequence of values give the same sample.
 */
export class ReservoirSampler {
  private readonly reservoir: Float64Array;
  private readonly random: RandomGenerator;
  private seen = 0;
  private nextTaken = 0;
  private weight = 0;

  constructor(
    readonly capacity: number,
    seed: number,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`sample capacity must be a positive integer, got ${capacity}`);
    this.reservoir = new Float64Array(capacity);
    this.random = seededGenerator(seed);
  }

  /** Values offered so far. */
  get offered(): number {
    return this.seen;
  }

  offer(value: number): void {
    const index = this.seen++;
    if (index < this.capacity) {
      this.reservoir[index] = value;
      if (index === this.capacity - 1) {
        this.weight = Math.exp(Math.log(this.openUnit()) / this.capacity);
        this.scheduleNext(index);
      }
      return;
    }
    if (index !== this.nextTaken) return;
    this.reservoir[uniformInt(this.random, 0, this.capacity - 1)] = value;
    this.weight *= Math.exp(Math.log(this.openUnit()) / this.capacity);
    this.scheduleNext(index);
  }

  /** The sample, ascending (its order carries no information). */
  sortedSample(): Float64Array {
    return this.reservoir.slice(0, Math.min(this.seen, this.capacity)).sort();
  }

  private scheduleNext(index: number): void {
    this.nextTaken = index + Math.floor(Math.log(this.openUnit()) / Math.log(1 - this.weight)) + 1;
  }

  /** Uniform in (0, 1]: logarithms above stay finite. */
  private openUnit(): number {
    return 1 - uniformFloat64(this.random);
  }
}
