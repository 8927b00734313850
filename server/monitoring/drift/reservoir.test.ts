import { describe, expect, it } from "vitest";
import { chiSquareGoodnessOfFit } from "./chi-square.js";
import { ReservoirSampler } from "./reservoir.js";

function sampleOf(values: number, capacity: number, seed: number): Float64Array {
  const sampler = new ReservoirSampler(capacity, seed);
  for (let i = 0; i < values; i++) sampler.offer(i);
  return sampler.sortedSample();
}

describe("ReservoirSampler", () => {
  it("keeps everything when fewer values than its capacity arrive", () => {
    const sampler = new ReservoirSampler(10, 1);
    for (const value of [3, 1, 2]) sampler.offer(value);
    expect(Array.from(sampler.sortedSample())).toEqual([1, 2, 3]);
    expect(sampler.offered).toBe(3);
  });

  it("is bounded, without repeats, and the same for the same seed", () => {
    const sample = sampleOf(100_000, 1_000, 42);
    expect(sample.length).toBe(1_000);
    expect(new Set(sample).size).toBe(1_000);
    expect(sampleOf(100_000, 1_000, 42)).toEqual(sample);
    expect(sampleOf(100_000, 1_000, 43)).not.toEqual(sample);
  });

  it("takes every position with the same probability (early and late values alike)", () => {
    // 4,000 samples of 5 out of 50: each position is expected 400 times.
    const inclusions = new Array<number>(50).fill(0);
    for (let seed = 0; seed < 4_000; seed++) {
      for (const value of sampleOf(50, 5, seed)) inclusions[value] = (inclusions[value] as number) + 1;
    }
    expect(chiSquareGoodnessOfFit(inclusions).pValue).toBeGreaterThan(0.001);
  });

  it("spreads a large sample evenly over the stream", () => {
    const deciles = new Array<number>(10).fill(0);
    for (const value of sampleOf(1_000_000, 1_000, 7)) {
      const decile = Math.floor(value / 100_000);
      deciles[decile] = (deciles[decile] as number) + 1;
    }
    expect(chiSquareGoodnessOfFit(deciles).pValue).toBeGreaterThan(0.001);
  });

  it("refuses a capacity that is not a positive integer", () => {
    expect(() => new ReservoirSampler(0, 1)).toThrow(RangeError);
    expect(() => new ReservoirSampler(1.5, 1)).toThrow(RangeError);
  });
});
