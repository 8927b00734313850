import { describe, expect, it } from "vitest";
import { chiSquareGoodnessOfFit, chiSquareHomogeneity, chiSquareSurvival } from "./chi-square.js";

describe("chiSquareHomogeneity", () => {
  it("matches scipy.stats.chi2_contingency's documented 2 × 3 example", () => {
    // scipy docs: chi2_contingency([[10, 10, 20], [20, 20, 20]]) → statistic 2.7777777777777777,
    // pvalue 0.24935220877729619, dof 2. By hand: expected 12/12/16 and 18/18/24;
    // χ² = 4/12 + 4/12 + 16/16 + 4/18 + 4/18 + 16/24 = 25/9; with 2 dof p = e^(−χ²/2) = e^(−25/18).
    const test = chiSquareHomogeneity([10, 10, 20], [20, 20, 20]);
    expect(test.statistic).toBeCloseTo(25 / 9, 12);
    expect(test.degreesOfFreedom).toBe(2);
    expect(test.pValue).toBeCloseTo(0.24935220877729619, 12);
    expect(test.pValue).toBeCloseTo(Math.exp(-25 / 18), 12);
  });

  it("drops categories empty in both samples and keeps a category only one sample has", () => {
    const withEmpty = chiSquareHomogeneity([10, 0, 10, 0], [5, 0, 15, 0]);
    expect(withEmpty.degreesOfFreedom).toBe(1);
    expect(withEmpty).toEqual(chiSquareHomogeneity([10, 10], [5, 15]));
    const unseen = chiSquareHomogeneity([50, 50, 0], [40, 40, 20]);
    expect(unseen.degreesOfFreedom).toBe(2);
    expect(Number.isFinite(unseen.statistic)).toBe(true);
    expect(unseen.pValue).toBeLessThan(0.001);
  });

  it("has p = 1 with a single category and refuses an empty sample", () => {
    expect(chiSquareHomogeneity([7, 0], [3, 0])).toEqual({ statistic: 0, degreesOfFreedom: 0, pValue: 1 });
    expect(() => chiSquareHomogeneity([0, 0], [1, 2])).toThrow(RangeError);
  });
});

describe("chiSquareGoodnessOfFit", () => {
  it("matches scipy.stats.chisquare's documented examples", () => {
    // scipy docs: chisquare([16, 18, 16, 14, 12, 12]) → statistic 2.0, pvalue 0.84914503608460956
    const uniform = chiSquareGoodnessOfFit([16, 18, 16, 14, 12, 12]);
    expect(uniform.statistic).toBeCloseTo(2, 12);
    expect(uniform.degreesOfFreedom).toBe(5);
    expect(uniform.pValue).toBeCloseTo(0.84914503608460956, 10);
    // chisquare(..., f_exp=[16, 16, 16, 16, 16, 8]) → statistic 3.5, pvalue 0.62338762774958223
    const weighted = chiSquareGoodnessOfFit([16, 18, 16, 14, 12, 12], [16, 16, 16, 16, 16, 8]);
    expect(weighted.statistic).toBeCloseTo(3.5, 12);
    expect(weighted.pValue).toBeCloseTo(0.62338762774958223, 10);
  });

  it("refuses a zero expected weight", () => {
    expect(() => chiSquareGoodnessOfFit([1, 2], [1, 0])).toThrow(RangeError);
  });
});

describe("chiSquareSurvival", () => {
  it("is e^(−x/2) for 2 degrees of freedom", () => {
    expect(chiSquareSurvival(5.991464547107979, 2)).toBeCloseTo(0.05, 12);
    expect(chiSquareSurvival(0, 3)).toBe(1);
  });
});
