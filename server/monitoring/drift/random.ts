// Seeded pseudo-random generator for samples and synthetic data.
import { xoroshiro128plusFromState } from "pure-rand/generator/xoroshiro128plus";
import type { RandomGenerator } from "pure-rand/types/RandomGenerator";

/**
 * xoroshiro128+ with its 128-bit state filled by SplitMix32 from `seed`. pure-rand's
 * xoroshiro128plus(seed) starts from (−1, ~seed, seed, 0), whose first outputs for nearby seeds
 * (1, 2, 3, …) are nearly the same; mixing the seed first makes such streams independent.
 */
export function seededGenerator(seed: number): RandomGenerator {
  let state = seed | 0;
  const word = () => {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) | 0;
  };
  return xoroshiro128plusFromState([word(), word(), word(), word()]);
}
