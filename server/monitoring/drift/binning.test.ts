import { describe, expect, it } from "vitest";
import { binCounts, binIndex, quantileBinEdges } from "./binning.js";
import { quantileOfSorted } from "./quantiles.js";

describe("quantileOfSorted (type 7, linear interpolation)", () => {
  it("matches numpy's documented example", () => {
    // numpy.quantile docs: a = [[10, 7, 4], [3, 2, 1]]; np.quantile(a, 0.5) → 3.5
    expect(quantileOfSorted([1, 2, 3, 4, 7, 10], 0.5)).toBe(3.5);
  });

  it("interpolates between order statistics and returns the extremes at 0 and 1", () => {
    // h = (5 − 1)·0.3 = 1.2 → 20 + 0.2·(30 − 20) = 22
    expect(quantileOfSorted([10, 20, 30, 40, 50], 0.3)).toBeCloseTo(22, 12);
    expect(quantileOfSorted([10, 20, 30, 40, 50], 0)).toBe(10);
    expect(quantileOfSorted([10, 20, 30, 40, 50], 1)).toBe(50);
    expect(() => quantileOfSorted([], 0.5)).toThrow(RangeError);
    expect(() => quantileOfSorted([1], 1.5)).toThrow(RangeError);
  });
});

describe("quantileBinEdges", () => {
  it("cuts 1…11 at its deciles 2…10 (h = 10·i/10 = i, x[i] = i + 1)", () => {
    const sequence = Array.from({ length: 11 }, (_, i) => i + 1);
    expect(quantileBinEdges(sequence)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(quantileBinEdges(sequence, 4)).toEqual([3.5, 6, 8.5]);
  });

  it("drops repeated cut points when a value fills several deciles", () => {
    // Five 0s and five 10s: h = 9p; deciles 1–4 are 0, the median is 0 + 0.5·10 = 5, deciles 6–9 are 10.
    expect(quantileBinEdges([0, 0, 0, 0, 0, 10, 10, 10, 10, 10])).toEqual([0, 5, 10]);
    expect(quantileBinEdges([5, 5, 5])).toEqual([5]);
  });

  it("refuses a bin count that is not a positive integer", () => {
    expect(() => quantileBinEdges([1, 2], 0)).toThrow(RangeError);
    expect(() => quantileBinEdges([1, 2], 2.5)).toThrow(RangeError);
  });
});

describe("binIndex and binCounts", () => {
  const edges = [1, 2, 3];

  it("puts values outside the training range in the open outer bins and edge values in the bin above", () => {
    expect(binIndex(edges, -1e300)).toBe(0);
    expect(binIndex(edges, 0.999)).toBe(0);
    expect(binIndex(edges, 1)).toBe(1);
    expect(binIndex(edges, 2.5)).toBe(2);
    expect(binIndex(edges, 3)).toBe(3);
    expect(binIndex(edges, 1e300)).toBe(3);
    expect(binIndex([], 42)).toBe(0);
  });

  it("counts every value once", () => {
    expect(binCounts(edges, [0, 1, 1.5, 2, 2, 3, 99])).toEqual([1, 2, 2, 2]);
  });
});
