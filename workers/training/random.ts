import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import type { JumpableRandomGenerator } from "pure-rand/types/JumpableRandomGenerator";

/**
 * Seeded random numbers (xoroshiro128+ from pure-rand). Every random choice in training draws from
 * one of these, so a seed fixes the split, the initial weights, the batch order and the importance
 * permutations.
 */
export class SeededRandom {
  private constructor(private readonly generator: JumpableRandomGenerator) {}

  /** `seed` is an unsigned 32-bit integer (validated by the spec resolver). */
  static fromSeed(seed: number): SeededRandom {
    return new SeededRandom(xoroshiro128plus(seed | 0));
  }

  /**
   * Independent streams for separate purposes: stream k is the seed's generator jumped k+1 times
   * (2^64 steps each), so drawing more numbers for one purpose never shifts another.
   */
  static streams(seed: number, count: number): SeededRandom[] {
    const generator = xoroshiro128plus(seed | 0);
    const streams: SeededRandom[] = [];
    for (let k = 0; k < count; k++) {
      generator.jump();
      streams.push(new SeededRandom(generator.clone()));
    }
    return streams;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return uniformFloat64(this.generator);
  }

  /** Uniform integer in [from, to], both included. */
  int(from: number, to: number): number {
    return uniformInt(this.generator, from, to);
  }

  /** Fisher–Yates shuffle in place. */
  shuffle(values: Uint32Array): Uint32Array {
    for (let i = values.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      const held = values[i]!;
      values[i] = values[j]!;
      values[j] = held;
    }
    return values;
  }

  /** A random permutation of 0 … n-1. */
  permutation(n: number): Uint32Array {
    const values = new Uint32Array(n);
    for (let i = 0; i < n; i++) values[i] = i;
    return this.shuffle(values);
  }
}
