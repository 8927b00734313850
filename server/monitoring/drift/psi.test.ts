import { describe, expect, it } from "vitest";
import { flooredProportions, PROPORTION_FLOOR } from "./proportions.js";
import { populationStabilityIndex } from "./psi.js";

describe("populationStabilityIndex", () => {
  it("gives 0.034921 for the worked example of issue 4", () => {
    // Issue 4 ("Monitoring"): expected 1000/1500/1200/1300 against observed 800/1400/1600/1200.
    // By hand: p = .20/.30/.24/.26, q = .16/.28/.32/.24;
    // (−.04)·ln(.8) + (−.02)·ln(.9333) + (.08)·ln(1.3333) + (−.02)·ln(.9231)
    // = .0089257 + .0013799 + .0230146 + .0016009 = .0349210
    expect(populationStabilityIndex([1000, 1500, 1200, 1300], [800, 1400, 1600, 1200])).toBeCloseTo(0.034921, 6);
  });

  it("is 0 for identical distributions and symmetric", () => {
    expect(populationStabilityIndex([10, 20, 30], [1, 2, 3])).toBeCloseTo(0, 15);
    const forward = populationStabilityIndex([5, 10, 85], [20, 30, 50]);
    expect(populationStabilityIndex([20, 30, 50], [5, 10, 85])).toBeCloseTo(forward, 12);
  });

  it("stays finite when a bin is empty on either side, by the documented floor", () => {
    const psi = populationStabilityIndex([100, 0, 100], [0, 50, 150]);
    expect(Number.isFinite(psi)).toBe(true);
    // Floor 1e-4 then renormalize: p = [.5, 1e-4, .5]/1.0001, q = [1e-4, .25, .75]/1.0001.
    const p = [0.5 / 1.0001, 1e-4 / 1.0001, 0.5 / 1.0001];
    const q = [1e-4 / 1.0001, 0.25 / 1.0001, 0.75 / 1.0001];
    const byHand = p.reduce((sum, pi, i) => sum + ((q[i] as number) - pi) * Math.log((q[i] as number) / pi), 0);
    expect(psi).toBeCloseTo(byHand, 12);
  });

  it("leaves proportions at or above the floor untouched", () => {
    expect(Array.from(flooredProportions([1, 3]))).toEqual([0.25, 0.75]);
    const floored = flooredProportions([0, 1, 1]);
    expect(floored[0]).toBeCloseTo(PROPORTION_FLOOR / (1 + PROPORTION_FLOOR), 15);
    expect(floored.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 15);
  });

  it("refuses bins of different lengths and empty distributions", () => {
    expect(() => populationStabilityIndex([1, 2], [1, 2, 3])).toThrow(RangeError);
    expect(() => populationStabilityIndex([0, 0], [1, 2])).toThrow(RangeError);
    expect(() => populationStabilityIndex([], [])).toThrow(RangeError);
  });
});
