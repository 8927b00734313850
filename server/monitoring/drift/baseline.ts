// Baseline statistics of a column at training time, the reference that drift is measured against.
import { DEFAULT_BIN_COUNT, quantileBinEdges } from "./binning.js";
import {
  BASELINE_QUANTILES,
  type BaselineQuantiles,
  type CategoricalBaseline,
  type ColumnBaseline,
  type ColumnBaselines,
  type NumericBaseline,
} from "./baseline-schema.js";
import { type ColumnKind, type ColumnValues, categoryOf, isFiniteNumber } from "./column-values.js";
import { lowerBound, quantileOfSorted } from "./quantiles.js";
import { ReservoirSampler } from "./reservoir.js";

/** Baseline sample size: enough for KS and Wasserstein (about 20 KB of JSON per column). */
export const DEFAULT_BASELINE_SAMPLE_SIZE = 1_000;
/** Seed of every sample unless one is given, so the same data always gives the same JSON. */
export const DEFAULT_SAMPLE_SEED = 20_240_601;
/** Categorical baselines keep the 20 most frequent categories; rarer ones share the "other" bucket. */
export const DEFAULT_TOP_K = 20;

export interface NumericBaselineOptions {
  /** Quantile bins (default 10: deciles). */
  binCount?: number;
  /** Largest sample kept for KS and Wasserstein (default 1,000). */
  sampleSize?: number;
  seed?: number;
}

export interface CategoricalBaselineOptions {
  /** Categories kept by name (default 20). */
  topK?: number;
}

export type BaselineOptions = NumericBaselineOptions & CategoricalBaselineOptions;

/** Baseline of a numeric column; throws a RangeError when it has no finite value. */
export function buildNumericBaseline(values: ColumnValues, options: NumericBaselineOptions = {}): NumericBaseline {
  const sampler = new ReservoirSampler(options.sampleSize ?? DEFAULT_BASELINE_SAMPLE_SIZE, options.seed ?? DEFAULT_SAMPLE_SEED);
  const finite = new Float64Array(values.length);
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (!isFiniteNumber(value)) continue;
    finite[count++] = value;
    sampler.offer(value);
  }
  if (count === 0) throw new RangeError("a numeric baseline needs at least one finite value");
  const sorted = finite.subarray(0, count).sort();

  let sum = 0;
  for (let i = 0; i < count; i++) sum += sorted[i] as number;
  const mean = sum / count;
  let squares = 0;
  for (let i = 0; i < count; i++) squares += ((sorted[i] as number) - mean) ** 2;

  const edges = quantileBinEdges(sorted, options.binCount ?? DEFAULT_BIN_COUNT);
  // On sorted values a bin's count is the difference of two binary searches.
  const counts: number[] = [];
  let below = 0;
  for (const edge of edges) {
    // Bins are closed on the left: a value equal to an edge belongs to the bin above it.
    const strictlyBelow = lowerBound(sorted, edge);
    counts.push(strictlyBelow - below);
    below = strictlyBelow;
  }
  counts.push(count - below);

  const quantiles = Object.fromEntries(
    Object.entries(BASELINE_QUANTILES).map(([key, probability]) => [key, quantileOfSorted(sorted, probability)]),
  ) as BaselineQuantiles;
  return {
    version: 1,
    kind: "numeric",
    count,
    nullCount: values.length - count,
    min: sorted[0] as number,
    max: sorted[count - 1] as number,
    // Rounding can put a mean of identical values one ulp outside [min, max].
    mean: Math.min(Math.max(mean, sorted[0] as number), sorted[count - 1] as number),
    std: Math.sqrt(squares / count),
    quantiles,
    histogram: { edges, counts },
    sample: Array.from(sampler.sortedSample()),
  };
}

/** Baseline of a categorical column; throws a RangeError when it has no non-null value. */
export function buildCategoricalBaseline(values: ColumnValues, options: CategoricalBaselineOptions = {}): CategoricalBaseline {
  const topK = options.topK ?? DEFAULT_TOP_K;
  if (!Number.isInteger(topK) || topK < 1) throw new RangeError(`topK must be a positive integer, got ${topK}`);
  const countsByCategory = new Map<string, number>();
  let nullCount = 0;
  for (let i = 0; i < values.length; i++) {
    const category = categoryOf(values[i]);
    if (category === null) nullCount++;
    else countsByCategory.set(category, (countsByCategory.get(category) ?? 0) + 1);
  }
  const count = values.length - nullCount;
  if (count === 0) throw new RangeError("a categorical baseline needs at least one non-null value");
  // Most frequent first; ties by code-unit order of the name, so the result never depends on locale.
  const ranked = [...countsByCategory].sort(([nameA, countA], [nameB, countB]) =>
    countA !== countB ? countB - countA : nameA < nameB ? -1 : 1,
  );
  const frequencies = ranked.slice(0, topK).map(([category, categoryCount]) => ({ category, count: categoryCount }));
  const keptCount = frequencies.reduce((sum, entry) => sum + entry.count, 0);
  return {
    version: 1,
    kind: "categorical",
    count,
    nullCount,
    distinctCount: countsByCategory.size,
    topK,
    frequencies,
    otherCount: count - keptCount,
  };
}

export function buildColumnBaseline(kind: ColumnKind, values: ColumnValues, options: BaselineOptions = {}): ColumnBaseline {
  return kind === "numeric" ? buildNumericBaseline(values, options) : buildCategoricalBaseline(values, options);
}

/** Baselines of several columns (e.g. every input feature and the prediction of a model version). */
export function buildColumnBaselines(
  columns: Readonly<Record<string, { kind: ColumnKind; values: ColumnValues }>>,
  options: BaselineOptions = {},
): ColumnBaselines {
  const baselines: ColumnBaselines = {};
  for (const [name, column] of Object.entries(columns)) {
    try {
      baselines[name] = buildColumnBaseline(column.kind, column.values, options);
    } catch (error) {
      if (error instanceof RangeError) throw new RangeError(`column "${name}": ${error.message}`);
      throw error;
    }
  }
  return baselines;
}
