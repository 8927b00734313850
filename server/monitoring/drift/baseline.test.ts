import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { buildCategoricalBaseline, buildColumnBaselines, buildNumericBaseline } from "./baseline.js";
import { type NumericBaseline, parseColumnBaseline, parseColumnBaselines } from "./baseline-schema.js";
import { categoricalColumn, normalColumn } from "./synthetic.js";

describe("buildNumericBaseline", () => {
  it("summarizes 1…11 exactly, counting missing and non-finite values as nulls", () => {
    const values = [7, null, 1, 2, Number.NaN, 3, 4, undefined, 5, 6, Number.POSITIVE_INFINITY, 8, 9, 10, 11, "12"];
    const baseline = buildNumericBaseline(values);
    expect(baseline).toEqual({
      version: 1,
      kind: "numeric",
      count: 11,
      nullCount: 5,
      min: 1,
      max: 11,
      mean: 6,
      // Population std: √(Σ(i − 6)² / 11) = √(110 / 11) = √10
      std: Math.sqrt(10),
      // Type 7: h = 10p, so pₖ = 1 + 10·k/100
      quantiles: { p1: 1.1, p5: 1.5, p25: 3.5, p50: 6, p75: 8.5, p95: 10.5, p99: 10.9 },
      // Deciles 2…10; (−∞, 2) holds 1, [10, +∞) holds 10 and 11.
      histogram: { edges: [2, 3, 4, 5, 6, 7, 8, 9, 10], counts: [1, 1, 1, 1, 1, 1, 1, 1, 1, 2] },
      sample: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
    });
  });

  it("keeps a bounded, seeded sample of a large column", () => {
    const column = normalColumn(100_000, 5);
    const baseline = buildNumericBaseline(column);
    expect(baseline.sample).toHaveLength(1_000);
    expect(buildNumericBaseline(column)).toEqual(baseline);
    expect(buildNumericBaseline(column, { seed: 6 }).sample).not.toEqual(baseline.sample);
    expect(buildNumericBaseline(column, { sampleSize: 10 }).sample).toHaveLength(10);
    // Deciles of 100,000 values: each bin holds a tenth.
    expect(baseline.histogram.counts.every((count) => count === 10_000)).toBe(true);
  });

  it("puts a value equal to an edge in the bin above it, as the drift pass does", () => {
    const baseline = buildNumericBaseline([0, 0, 0, 0, 0, 10, 10, 10, 10, 10]);
    expect(baseline.histogram).toEqual({ edges: [0, 5, 10], counts: [0, 5, 0, 5] });
  });

  it("refuses a column without a finite value", () => {
    expect(() => buildNumericBaseline([null, Number.NaN])).toThrow(RangeError);
    expect(() => buildColumnBaselines({ age: { kind: "numeric", values: [] } })).toThrow(/column "age"/);
  });
});

describe("buildCategoricalBaseline", () => {
  it("keeps the top K categories, ties by name, and puts the rest in the other bucket", () => {
    const values = ["a", "b", "a", "c", "b", "a", null, "d", Number.NaN, 1, "1", undefined, ""];
    expect(buildCategoricalBaseline(values, { topK: 2 })).toEqual({
      version: 1,
      kind: "categorical",
      count: 10,
      nullCount: 3,
      distinctCount: 6,
      topK: 2,
      // 1 and "1" are one category; it ties with "b" at 2 and sorts first ("1" < "b").
      frequencies: [
        { category: "a", count: 3 },
        { category: "1", count: 2 },
      ],
      otherCount: 5,
    });
  });

  it("refuses a column without a value", () => {
    expect(() => buildCategoricalBaseline([null, undefined])).toThrow(RangeError);
  });
});

describe("baseline JSON", () => {
  const baselines = buildColumnBaselines({
    income: { kind: "numeric", values: normalColumn(5_000, 11, 50_000, 12_000) },
    country: { kind: "categorical", values: categoricalColumn(5_000, 12, ["fr", "de", "it", "es"], [4, 3, 2, 1]) },
    prediction: { kind: "numeric", values: [0.1, 0.9, 0.4] },
  });

  it("round-trips through JSON and the zod schema", () => {
    expect(parseColumnBaselines(JSON.parse(JSON.stringify(baselines)))).toEqual(baselines);
  });

  it("rejects stored JSON that breaks the shape", () => {
    const numeric = JSON.parse(JSON.stringify(baselines.prediction)) as NumericBaseline;
    const broken = (change: (copy: NumericBaseline) => void) => {
      const copy = structuredClone(numeric);
      change(copy);
      return () => parseColumnBaseline(JSON.parse(JSON.stringify(copy)));
    };
    expect(broken(() => {})).not.toThrow();
    // JSON.stringify writes Infinity as null.
    expect(broken((copy) => copy.histogram.edges.push(Number.POSITIVE_INFINITY))).toThrow(ZodError);
    expect(broken((copy) => copy.histogram.counts.push(0))).toThrow(/one entry more than edges/);
    expect(broken((copy) => copy.sample.reverse())).toThrow(/ascending/);
    expect(broken((copy) => copy.histogram.counts.fill(0))).toThrow(/sum to count/);
    expect(broken((copy) => Object.assign(copy, { version: 2 }))).toThrow(ZodError);
    expect(() => parseColumnBaseline({ ...baselines.country, otherCount: 1_000_000 })).toThrow(/sum to count/);
    expect(() => parseColumnBaseline({ ...baselines.country, kind: "text" })).toThrow(ZodError);
  });
});
