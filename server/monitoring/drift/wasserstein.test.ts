import { describe, expect, it } from "vitest";
import { wassersteinDistance, wassersteinSorted } from "./wasserstein.js";

describe("wassersteinDistance", () => {
  it("matches scipy.stats.wasserstein_distance's documented examples", () => {
    // scipy docs: wasserstein_distance([0, 1, 3], [5, 6, 8]) → 5.0
    expect(wassersteinDistance([0, 1, 3], [5, 6, 8])).toBe(5);
    // wasserstein_distance([0, 1], [0, 1], [3, 1], [2, 2]) → 0.25
    expect(wassersteinDistance([0, 1], [0, 1], [3, 1], [2, 2])).toBeCloseTo(0.25, 15);
    // wasserstein_distance([3.4, 3.9, 7.5, 7.8], [4.5, 1.4], [1.4, 0.9, 3.1, 7.2], [3.2, 3.5]) → 4.0781331438047861
    expect(wassersteinDistance([3.4, 3.9, 7.5, 7.8], [4.5, 1.4], [1.4, 0.9, 3.1, 7.2], [3.2, 3.5])).toBeCloseTo(
      4.0781331438047861,
      12,
    );
  });

  it("is 0 between identical samples and the shift between a sample and its translate", () => {
    expect(wassersteinDistance([3, 1, 2], [1, 2, 3])).toBe(0);
    const sample = [0.5, -1.25, 3, 7, 7, 2];
    expect(
      wassersteinDistance(
        sample,
        sample.map((value) => value + 2.5),
      ),
    ).toBeCloseTo(2.5, 12);
  });

  it("compares samples of different sizes through their CDFs", () => {
    // U uniform on {0, 1}, V = {0, 0, 0, 1}: |U − V| = |.5 − .75| on [0, 1): W = 0.25.
    expect(wassersteinSorted([0, 1], [0, 0, 0, 1])).toBe(0.25);
  });

  it("refuses empty samples and bad weights", () => {
    expect(() => wassersteinDistance([], [1])).toThrow(RangeError);
    expect(() => wassersteinDistance([1, 2], [1], [1, -1])).toThrow(RangeError);
    expect(() => wassersteinDistance([1, 2], [1], [0, 0])).toThrow(RangeError);
    expect(() => wassersteinDistance([1, 2], [1], [1])).toThrow(RangeError);
  });
});
