// JSON shape of the per-column baseline statistics stored on a model version, validated on read.
import { z } from "zod";
import { isAscending } from "./quantiles.js";

// z.number() refuses NaN and ±Infinity (JSON.stringify would have written them as null anyway).
const count = z.number().int().nonnegative();

const quantilesSchema = z.object({
  p1: z.number(),
  p5: z.number(),
  p25: z.number(),
  p50: z.number(),
  p75: z.number(),
  p95: z.number(),
  p99: z.number(),
});

/** Probabilities of the stored quantiles, by key. */
export const BASELINE_QUANTILES = { p1: 0.01, p5: 0.05, p25: 0.25, p50: 0.5, p75: 0.75, p95: 0.95, p99: 0.99 } as const;

/**
 * A numeric column at training time. `count` values were finite numbers; `nullCount` were missing
 * or not finite. `histogram.edges` are the interior cut points e₁ < … < e_k (deciles by default);
 * `histogram.counts` has k + 1 entries for the bins (−∞, e₁), [e₁, e₂), …, [e_k, +∞) — the infinite
 * outer bounds are implied, never written. `sample` is a seeded uniform sample of at most 1,000
 * of the values, ascending, for the KS test and the Wasserstein distance.
 */
export const numericBaselineSchema = z
  .object({
    version: z.literal(1),
    kind: z.literal("numeric"),
    count: count.min(1),
    nullCount: count,
    min: z.number(),
    max: z.number(),
    mean: z.number(),
    /** Population standard deviation (divides by count). */
    std: z.number().nonnegative(),
    quantiles: quantilesSchema,
    histogram: z.object({ edges: z.array(z.number()), counts: z.array(count) }),
    sample: z.array(z.number()).min(1),
  })
  .superRefine((baseline, context) => {
    const problem = (message: string, path: string[]) => context.addIssue({ code: "custom", message, path });
    const { edges, counts } = baseline.histogram;
    for (let i = 1; i < edges.length; i++) {
      if (!((edges[i] as number) > (edges[i - 1] as number)))
        problem("edges must be strictly increasing", ["histogram", "edges"]);
    }
    if (counts.length !== edges.length + 1) problem("counts must have one entry more than edges", ["histogram", "counts"]);
    if (counts.reduce((sum, binCount) => sum + binCount, 0) !== baseline.count) {
      problem("counts must sum to count", ["histogram", "counts"]);
    }
    if (!isAscending(baseline.sample)) problem("sample must be ascending", ["sample"]);
    if (baseline.sample.length > baseline.count) problem("sample cannot be larger than count", ["sample"]);
    const { p1, p5, p25, p50, p75, p95, p99 } = baseline.quantiles;
    if (!isAscending([baseline.min, p1, p5, p25, p50, p75, p95, p99, baseline.max])) {
      problem("min ≤ quantiles ≤ max must be ascending", ["quantiles"]);
    }
  });

/**
 * A categorical column at training time: the `topK` most frequent categories (ties by category
 * name) with their counts, most frequent first; `otherCount` values were in rarer categories.
 * `distinctCount` is the number of distinct categories seen.
 */
export const categoricalBaselineSchema = z
  .object({
    version: z.literal(1),
    kind: z.literal("categorical"),
    count: count.min(1),
    nullCount: count,
    distinctCount: count.min(1),
    topK: z.number().int().positive(),
    frequencies: z.array(z.object({ category: z.string(), count: count.min(1) })).min(1),
    otherCount: count,
  })
  .superRefine((baseline, context) => {
    const problem = (message: string, path: string[]) => context.addIssue({ code: "custom", message, path });
    const { frequencies } = baseline;
    if (frequencies.length > baseline.topK) problem("more frequencies than topK", ["frequencies"]);
    if (new Set(frequencies.map((entry) => entry.category)).size !== frequencies.length) {
      problem("categories must be unique", ["frequencies"]);
    }
    if (frequencies.reduce((sum, entry) => sum + entry.count, baseline.otherCount) !== baseline.count) {
      problem("frequencies and otherCount must sum to count", ["otherCount"]);
    }
    if (baseline.distinctCount < frequencies.length)
      problem("distinctCount is below the number of frequencies", ["distinctCount"]);
  });

export const columnBaselineSchema = z.discriminatedUnion("kind", [numericBaselineSchema, categoricalBaselineSchema]);

/** Column name → baseline: the shape stored for a model version's features and prediction. */
export const columnBaselinesSchema = z.record(z.string(), columnBaselineSchema);

export type NumericBaseline = z.infer<typeof numericBaselineSchema>;
export type CategoricalBaseline = z.infer<typeof categoricalBaselineSchema>;
export type ColumnBaseline = z.infer<typeof columnBaselineSchema>;
export type ColumnBaselines = z.infer<typeof columnBaselinesSchema>;
export type BaselineQuantiles = z.infer<typeof quantilesSchema>;

/** Validates stored baseline JSON (throws a ZodError naming the bad path). */
export function parseColumnBaselines(json: unknown): ColumnBaselines {
  return columnBaselinesSchema.parse(json);
}

export function parseColumnBaseline(json: unknown): ColumnBaseline {
  return columnBaselineSchema.parse(json);
}
