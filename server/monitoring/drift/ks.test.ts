import { describe, expect, it } from "vitest";
import { kolmogorovSurvival, ksPValue, ksStatistic, ksTest } from "./ks.js";
import { normalColumn } from "./synthetic.js";

describe("kolmogorovSurvival", () => {
  it("matches scipy.special.kolmogorov's documented values", () => {
    // scipy.special.kolmogorov docs: kolmogorov([0, 0.5, 1.0]) → [1., 0.96394524, 0.26999967]
    expect(kolmogorovSurvival(0)).toBe(1);
    expect(kolmogorovSurvival(0.5)).toBeCloseTo(0.96394524, 8);
    expect(kolmogorovSurvival(1)).toBeCloseTo(0.26999967, 8);
  });

  it("gives the tabulated critical values of the Kolmogorov distribution", () => {
    // Asymptotic critical values K_α (Smirnov 1948 tables; also Wikipedia, "Kolmogorov–Smirnov test"):
    // P(K > 1.2238) = 0.10, P(K > 1.3581) = 0.05, P(K > 1.6276) = 0.01.
    expect(kolmogorovSurvival(1.2238)).toBeCloseTo(0.1, 4);
    expect(kolmogorovSurvival(1.3581)).toBeCloseTo(0.05, 4);
    expect(kolmogorovSurvival(1.6276)).toBeCloseTo(0.01, 4);
  });

  it("is continuous where the two series meet (λ = 1.18) and decreasing", () => {
    expect(kolmogorovSurvival(1.18 - 1e-9)).toBeCloseTo(kolmogorovSurvival(1.18), 8);
    let previous = 1;
    for (let lambda = 0.05; lambda < 4; lambda += 0.05) {
      const survival = kolmogorovSurvival(lambda);
      expect(survival).toBeLessThanOrEqual(previous);
      previous = survival;
    }
  });
});

describe("ksStatistic", () => {
  it("finds D by hand on a small example", () => {
    // F(x) of {1…6} against G(x) of {4…11}: at 3, 3/6 − 0 = .5; at 4, 4/6 − 1/8 = .5417;
    // at 5, 5/6 − 2/8 = .5833; at 6, 1 − 3/8 = .625; after 6 the gap shrinks. D = 0.625.
    expect(ksStatistic([1, 2, 3, 4, 5, 6], [4, 5, 6, 7, 8, 9, 10, 11])).toBe(0.625);
  });

  it("handles ties across the samples", () => {
    // {1,2,2,3} against {2,2,3,3}: at 1, .25 − 0; at 2, .75 − .5; at 3, 1 − 1. D = 0.25.
    expect(ksStatistic([1, 2, 2, 3], [2, 2, 3, 3])).toBe(0.25);
    expect(ksStatistic([1, 2, 3], [1, 2, 3])).toBe(0);
    expect(ksStatistic([1, 2, 3], [4, 5])).toBe(1);
  });
});

describe("ksPValue (Numerical Recipes kstwo)", () => {
  it("gives the p-value of the small example by hand", () => {
    // n = 6, m = 8: Nₑ = 48/14, √Nₑ = 1.851640; λ = (1.851640 + 0.12 + 0.11/1.851640)·0.625 = 1.269405;
    // x = e^(−2λ²) = 0.0398495; Q = 2(x − x⁴ + x⁹) = 0.0796837.
    const test = ksTest([6, 5, 4, 3, 2, 1], [11, 10, 9, 8, 7, 6, 5, 4]);
    expect(test.statistic).toBe(0.625);
    expect(test.pValue).toBeCloseTo(0.0796837, 6);
  });

  it("is 1 for D = 0 and tiny for disjoint large samples", () => {
    expect(ksPValue(0, 100, 100)).toBe(1);
    expect(ksPValue(1, 1000, 1000)).toBeLessThan(1e-100);
    expect(() => ksPValue(1.5, 10, 10)).toThrow(RangeError);
  });

  it("does not reject samples of one distribution and rejects a half-σ shift", () => {
    const baseline = normalColumn(1000, 1);
    expect(ksTest(baseline, normalColumn(5000, 2)).pValue).toBeGreaterThan(0.05);
    expect(ksTest(baseline, normalColumn(5000, 3, 0.5)).pValue).toBeLessThan(1e-10);
  });
});
