import { describe, expect, it } from "vitest";
import { buildCategoricalBaseline, buildNumericBaseline } from "./baseline.js";
import { numericBaselineSchema } from "./baseline-schema.js";
import { computeFeatureDrift, createFeatureDriftAccumulator, type FeatureDrift } from "./feature-drift.js";
import { categoricalColumn, normalColumn } from "./synthetic.js";

function repeat(value: number, times: number): number[] {
  return new Array<number>(times).fill(value);
}

/** Every number in a result is finite (it is stored as JSON, which has no NaN or Infinity). */
function allFinite(value: unknown): boolean {
  if (typeof value === "number") return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(allFinite);
  if (typeof value === "object" && value !== null) return Object.values(value).every(allFinite);
  return true;
}

function expectOk<Kind extends "numeric" | "categorical">(drift: FeatureDrift, kind: Kind) {
  if (drift.status !== "ok" || drift.kind !== kind) throw new Error(`expected an ok ${kind} drift, got ${drift.status}`);
  return drift as Extract<FeatureDrift, { status: "ok"; kind: Kind }>;
}

// A baseline whose bins hold the issue's expected counts 1000/1500/1200/1300 (values 0.5 … 3.5).
const issueBaseline = numericBaselineSchema.parse({
  version: 1,
  kind: "numeric",
  count: 5000,
  nullCount: 0,
  min: 0.5,
  max: 3.5,
  mean: 2.02,
  std: 1.07,
  quantiles: { p1: 0.5, p5: 0.5, p25: 1.5, p50: 1.5, p75: 2.5, p95: 3.5, p99: 3.5 },
  histogram: { edges: [1, 2, 3], counts: [1000, 1500, 1200, 1300] },
  sample: [...repeat(0.5, 20), ...repeat(1.5, 30), ...repeat(2.5, 24), ...repeat(3.5, 26)],
});
const issueCurrent = [...repeat(0.5, 800), ...repeat(1.5, 1400), ...repeat(2.5, 1600), ...repeat(3.5, 1200)];

describe("computeFeatureDrift on a numeric feature", () => {
  it("gives the issue's PSI of 0.034921 from a current column", () => {
    // Issue 4: expected 1000/1500/1200/1300 against observed 800/1400/1600/1200 → PSI = 0.034921.
    const drift = expectOk(computeFeatureDrift(issueBaseline, issueCurrent), "numeric");
    expect(drift.binCounts).toEqual({ edges: [1, 2, 3], expected: [1000, 1500, 1200, 1300], observed: [800, 1400, 1600, 1200] });
    expect(drift.psi).toBeCloseTo(0.034921, 6);
    expect(drift.drifted).toBe(false);
    expect(drift.current).toEqual({ count: 5000, nullCount: 0 });
  });

  it("counts NaN, null and non-finite current values as nulls, not as drift", () => {
    const withNulls = [...issueCurrent, Number.NaN, null, undefined, Number.NEGATIVE_INFINITY, ...repeat(Number.NaN, 996)];
    const drift = expectOk(computeFeatureDrift(issueBaseline, withNulls), "numeric");
    const clean = expectOk(computeFeatureDrift(issueBaseline, issueCurrent), "numeric");
    expect(drift.current).toEqual({ count: 5000, nullCount: 1000 });
    expect(drift.binCounts.observed).toEqual(clean.binCounts.observed);
    expect(drift.psi).toBe(clean.psi);
    expect(drift.ks).toEqual(clean.ks);
    expect(drift.wasserstein).toBe(clean.wasserstein);
  });

  it("does not flag a fresh sample of the training distribution", () => {
    const baseline = buildNumericBaseline(normalColumn(50_000, 1, 10, 2));
    const drift = expectOk(computeFeatureDrift(baseline, normalColumn(200_000, 2, 10, 2)), "numeric");
    expect(drift.psi).toBeLessThan(0.01);
    expect(drift.kl).toBeLessThan(0.01);
    expect(drift.jsDistance).toBeLessThan(0.05);
    expect(drift.wasserstein).toBeLessThan(0.2);
    expect(drift.ks.pValue).toBeGreaterThan(0.01);
    expect(drift.ks).toMatchObject({ baselineSampleSize: 1_000, currentSampleSize: 10_000 });
    expect(drift.drifted).toBe(false);
    expect(drift.driftedBy).toEqual([]);
  });

  it("flags a shift of half a standard deviation by PSI, and by KS when asked", () => {
    const baseline = buildNumericBaseline(normalColumn(50_000, 1, 10, 2));
    const shifted = normalColumn(200_000, 3, 11, 2);
    const drift = expectOk(computeFeatureDrift(baseline, shifted, { thresholds: { ksPValue: 0.01 } }), "numeric");
    expect(drift.psi).toBeGreaterThan(0.2);
    expect(drift.ks.pValue).toBeLessThan(1e-10);
    // W₁ between two normals of equal σ is the shift of the mean (1), up to sampling error.
    expect(drift.wasserstein).toBeGreaterThan(0.85);
    expect(drift.wasserstein).toBeLessThan(1.15);
    expect(drift.driftedBy).toEqual(["psi", "ksPValue"]);
    const psiOff = computeFeatureDrift(baseline, shifted, { thresholds: { psi: undefined } });
    expect(psiOff.drifted).toBe(false);
  });

  it("keeps values beyond the training range in the outer bins, with finite measures", () => {
    const baseline = buildNumericBaseline(normalColumn(10_000, 4));
    const drift = expectOk(computeFeatureDrift(baseline, [-1e9, 1e9, 1e12, 50]), "numeric");
    const observed = drift.binCounts.observed;
    expect(observed[0]).toBe(1);
    expect(observed[observed.length - 1]).toBe(3);
    expect(allFinite(drift)).toBe(true);
    expect(drift.drifted).toBe(true);
  });

  it("stays finite when current values fill a bin the baseline left empty", () => {
    // Baseline 0×5, 10×5: edges 0, 5, 10 and bins [0] (−∞,0), [5] [0,5), [0] [5,10), [5] [10,+∞).
    const baseline = buildNumericBaseline([0, 0, 0, 0, 0, 10, 10, 10, 10, 10]);
    expect(baseline.histogram.counts).toEqual([0, 5, 0, 5]);
    const drift = expectOk(computeFeatureDrift(baseline, [7, 7, 7, 8]), "numeric");
    expect(drift.binCounts.observed).toEqual([0, 0, 4, 0]);
    expect(allFinite(drift)).toBe(true);
    expect(drift.jsDistance).toBe(1);
    expect(drift.psi).toBeGreaterThan(5);
  });

  it("reports a column without a usable value as having no current values", () => {
    const drift = computeFeatureDrift(issueBaseline, [null, Number.NaN, undefined]);
    expect(drift).toEqual({
      kind: "numeric",
      status: "no-current-values",
      baseline: { count: 5000, nullCount: 0 },
      current: { count: 0, nullCount: 3 },
      drifted: false,
      driftedBy: [],
    });
  });

  it("gives the same result fed in chunks as in one call, and the same result twice", () => {
    const baseline = buildNumericBaseline(normalColumn(20_000, 5));
    const current = normalColumn(50_000, 6, 0.1);
    const whole = computeFeatureDrift(baseline, current);
    const accumulator = createFeatureDriftAccumulator(baseline);
    for (let start = 0; start < current.length; start += 7_919) accumulator.add(current.subarray(start, start + 7_919));
    expect(accumulator.result()).toEqual(whole);
    expect(computeFeatureDrift(baseline, current)).toEqual(whole);
  });

  it("uses the whole current column for KS and Wasserstein when it fits in the sample", () => {
    const baseline = buildNumericBaseline([0, 1, 3]);
    const drift = expectOk(computeFeatureDrift(baseline, [5, 6, 8]), "numeric");
    // scipy docs: wasserstein_distance([0, 1, 3], [5, 6, 8]) → 5.0; disjoint samples: D = 1.
    expect(drift.wasserstein).toBe(5);
    expect(drift.ks.statistic).toBe(1);
  });
});

describe("computeFeatureDrift on a categorical feature", () => {
  const categories = ["fr", "de", "it", "es", "nl"];
  const weights = [5, 4, 3, 2, 1];
  const baseline = buildCategoricalBaseline(categoricalColumn(30_000, 1, categories, weights), { topK: 4 });

  it("does not flag a fresh sample of the training distribution", () => {
    const drift = expectOk(computeFeatureDrift(baseline, categoricalColumn(30_000, 2, categories, weights)), "categorical");
    expect(drift.binCounts.categories).toEqual(["fr", "de", "it", "es"]);
    expect(drift.binCounts.expected.reduce((sum, count) => sum + count, 0)).toBe(30_000);
    expect(drift.binCounts.observed.reduce((sum, count) => sum + count, 0)).toBe(30_000);
    expect(drift.psi).toBeLessThan(0.01);
    expect(drift.chiSquare.degreesOfFreedom).toBe(4);
    expect(drift.chiSquare.pValue).toBeGreaterThan(0.01);
    expect(drift.drifted).toBe(false);
  });

  it("puts categories the baseline never had into the other bucket, where they count as drift", () => {
    const current = [...categoricalColumn(20_000, 3, categories, weights), ...new Array<string>(10_000).fill("pl")];
    const drift = expectOk(computeFeatureDrift(baseline, current, { thresholds: { chiSquarePValue: 0.01 } }), "categorical");
    const other = drift.binCounts.observed[drift.binCounts.observed.length - 1] as number;
    expect(other).toBeGreaterThan(10_000);
    expect(drift.psi).toBeGreaterThan(0.2);
    expect(drift.chiSquare.pValue).toBeLessThan(1e-10);
    expect(drift.driftedBy).toEqual(["psi", "chiSquarePValue"]);
    expect(allFinite(drift)).toBe(true);
  });

  it("counts null and NaN as nulls, and a category seen nowhere in the baseline's bins stays finite", () => {
    const small = buildCategoricalBaseline(["a", "a", "b"]);
    const drift = expectOk(computeFeatureDrift(small, ["a", null, Number.NaN, "b", "z", undefined]), "categorical");
    expect(drift.current).toEqual({ count: 3, nullCount: 3 });
    // Buckets a, b, other: the baseline's other bucket is empty, the current one holds "z".
    expect(drift.binCounts).toEqual({ categories: ["a", "b"], expected: [2, 1, 0], observed: [1, 1, 1] });
    expect(allFinite(drift)).toBe(true);
  });

  it("matches numbers and their string form, and reports an all-null column", () => {
    const numeric = buildCategoricalBaseline([1, 2, 2]);
    const drift = expectOk(computeFeatureDrift(numeric, ["1", "2", 2]), "categorical");
    expect(drift.binCounts.observed).toEqual([2, 1, 0]);
    expect(computeFeatureDrift(numeric, [null]).status).toBe("no-current-values");
  });
});
