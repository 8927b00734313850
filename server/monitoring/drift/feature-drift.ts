// Drift of one column against its baseline: one pass over the current values, bounded memory.
import type { CategoricalBaseline, ColumnBaseline, NumericBaseline } from "./baseline-schema.js";
import { type ChiSquareTest, chiSquareHomogeneity } from "./chi-square.js";
import { type ColumnKind, type ColumnValues, categoryOf } from "./column-values.js";
import { jensenShannonDistance, klDivergence } from "./divergence.js";
import { type KsTest, ksTestSorted } from "./ks.js";
import { flooredProportions, PROPORTION_FLOOR, toProportions } from "./proportions.js";
import { populationStabilityIndex } from "./psi.js";
import { ReservoirSampler } from "./reservoir.js";
import { DEFAULT_DRIFT_THRESHOLDS, type DriftMeasure, type DriftThresholds, driftedMeasures } from "./thresholds.js";
import { wassersteinSorted } from "./wasserstein.js";

/**
 * Current values kept (seeded uniform reservoir sample) for KS and Wasserstein. With a 1,000-value
 * baseline sample the KS test's effective size n·m/(n+m) is 909 at m = 10,000 against 999 for an
 * unbounded m, so a larger sample would add memory and time but almost no power.
 */
export const DEFAULT_CURRENT_SAMPLE_SIZE = 10_000;
export const DEFAULT_CURRENT_SEED = 7_919;

export interface DriftOptions {
  /** Merged over DEFAULT_DRIFT_THRESHOLDS (PSI > 0.2); set a measure to undefined to drop it. */
  thresholds?: DriftThresholds;
  /** Largest sample of the current values for KS and Wasserstein (default 10,000). */
  currentSampleSize?: number;
  seed?: number;
  /** Floor on bin proportions for PSI and KL (default PROPORTION_FLOOR, 1e-4). */
  proportionFloor?: number;
}

export interface ColumnCounts {
  /** Values taken into account (finite numbers; non-null categories). */
  count: number;
  /** Missing or invalid values, reported apart and never treated as drift. */
  nullCount: number;
}

interface DriftVerdict {
  drifted: boolean;
  /** The measures that crossed their threshold. */
  driftedBy: DriftMeasure[];
}

export interface NumericFeatureDrift extends DriftVerdict {
  kind: "numeric";
  status: "ok";
  baseline: ColumnCounts;
  current: ColumnCounts;
  /** On the baseline's quantile bins, after the empty-bin floor. */
  psi: number;
  /** KL(current ‖ baseline) in nats on the baseline's bins, after the empty-bin floor. */
  kl: number;
  /** Base 2, in [0, 1], on the baseline's bins without floor. */
  jsDistance: number;
  /** W₁ between the baseline sample and the current sample, in the feature's units. */
  wasserstein: number;
  ks: KsTest & { baselineSampleSize: number; currentSampleSize: number };
  /** expected = baseline bin counts, observed = current bin counts (edges.length + 1 bins). */
  binCounts: { edges: number[]; expected: number[]; observed: number[] };
}

export interface CategoricalFeatureDrift extends DriftVerdict {
  kind: "categorical";
  status: "ok";
  baseline: ColumnCounts;
  current: ColumnCounts;
  psi: number;
  kl: number;
  jsDistance: number;
  /** Homogeneity test on the 2 × (K + 1) table of baseline and current bucket counts. */
  chiSquare: ChiSquareTest;
  /**
   * One bucket per baseline top-K category, then the "other" bucket (last entry of expected and
   * observed, no name in categories): the baseline's rarer categories and every category the
   * baseline never had.
   */
  binCounts: { categories: string[]; expected: number[]; observed: number[] };
}

/** The current column had no usable value: nothing to compare (its nulls are still counted). */
export interface NoCurrentValuesDrift extends DriftVerdict {
  kind: ColumnKind;
  status: "no-current-values";
  baseline: ColumnCounts;
  current: ColumnCounts;
}

export type FeatureDrift = NumericFeatureDrift | CategoricalFeatureDrift | NoCurrentValuesDrift;

/** Takes the current column in chunks of any size (e.g. pages of a prediction log). */
export interface FeatureDriftAccumulator {
  add(values: ColumnValues): void;
  result(): FeatureDrift;
}

interface ResolvedOptions {
  thresholds: DriftThresholds;
  currentSampleSize: number;
  seed: number;
  proportionFloor: number;
}

function resolve(options: DriftOptions): ResolvedOptions {
  return {
    thresholds: { ...DEFAULT_DRIFT_THRESHOLDS, ...options.thresholds },
    currentSampleSize: options.currentSampleSize ?? DEFAULT_CURRENT_SAMPLE_SIZE,
    seed: options.seed ?? DEFAULT_CURRENT_SEED,
    proportionFloor: options.proportionFloor ?? PROPORTION_FLOOR,
  };
}

export function createFeatureDriftAccumulator(baseline: ColumnBaseline, options: DriftOptions = {}): FeatureDriftAccumulator {
  const resolved = resolve(options);
  return baseline.kind === "numeric"
    ? new NumericDriftAccumulator(baseline, resolved)
    : new CategoricalDriftAccumulator(baseline, resolved);
}

/** Drift of `values` (the whole current column) against `baseline`. */
export function computeFeatureDrift(baseline: ColumnBaseline, values: ColumnValues, options: DriftOptions = {}): FeatureDrift {
  const accumulator = createFeatureDriftAccumulator(baseline, options);
  accumulator.add(values);
  return accumulator.result();
}

/** PSI, KL and JS of two bin-count vectors, with the empty-bin rule of each measure. */
function binMeasures(expected: ArrayLike<number>, observed: ArrayLike<number>, floor: number) {
  return {
    psi: populationStabilityIndex(expected, observed, floor),
    kl: klDivergence(flooredProportions(observed, floor), flooredProportions(expected, floor)),
    jsDistance: jensenShannonDistance(toProportions(expected), toProportions(observed)),
  };
}

function noCurrentValues(kind: ColumnKind, baseline: ColumnBaseline, nullCount: number): NoCurrentValuesDrift {
  return {
    kind,
    status: "no-current-values",
    baseline: { count: baseline.count, nullCount: baseline.nullCount },
    current: { count: 0, nullCount },
    drifted: false,
    driftedBy: [],
  };
}

class NumericDriftAccumulator implements FeatureDriftAccumulator {
  private readonly edges: Float64Array;
  private readonly observed: Float64Array;
  private readonly sampler: ReservoirSampler;
  private nullCount = 0;

  constructor(
    private readonly baseline: NumericBaseline,
    private readonly options: ResolvedOptions,
  ) {
    this.edges = Float64Array.from(baseline.histogram.edges);
    this.observed = new Float64Array(this.edges.length + 1);
    this.sampler = new ReservoirSampler(options.currentSampleSize, options.seed);
  }

  add(values: ColumnValues): void {
    const { edges, observed, sampler } = this;
    const edgeCount = edges.length;
    let nullCount = 0;
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      if (typeof value !== "number" || !Number.isFinite(value)) {
        nullCount++;
        continue;
      }
      // Binary search, inlined: the bin is the number of edges ≤ value.
      let low = 0;
      let high = edgeCount;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if ((edges[middle] as number) <= value) low = middle + 1;
        else high = middle;
      }
      observed[low] = (observed[low] as number) + 1;
      sampler.offer(value);
    }
    this.nullCount += nullCount;
  }

  result(): FeatureDrift {
    const count = this.sampler.offered;
    if (count === 0) return noCurrentValues("numeric", this.baseline, this.nullCount);
    const expected = this.baseline.histogram.counts;
    const observed = Array.from(this.observed);
    const baselineSample = this.baseline.sample;
    const currentSample = this.sampler.sortedSample();
    const ks = ksTestSorted(baselineSample, currentSample);
    const measures = {
      ...binMeasures(expected, observed, this.options.proportionFloor),
      wasserstein: wassersteinSorted(baselineSample, currentSample),
    };
    const driftedBy = driftedMeasures({ ...measures, ksPValue: ks.pValue }, this.options.thresholds);
    return {
      kind: "numeric",
      status: "ok",
      baseline: { count: this.baseline.count, nullCount: this.baseline.nullCount },
      current: { count, nullCount: this.nullCount },
      ...measures,
      ks: { ...ks, baselineSampleSize: baselineSample.length, currentSampleSize: currentSample.length },
      binCounts: { edges: [...this.baseline.histogram.edges], expected: [...expected], observed },
      drifted: driftedBy.length > 0,
      driftedBy,
    };
  }
}

class CategoricalDriftAccumulator implements FeatureDriftAccumulator {
  private readonly bucketByCategory: Map<string, number>;
  private readonly observed: Float64Array;
  private readonly otherBucket: number;
  private count = 0;
  private nullCount = 0;

  constructor(
    private readonly baseline: CategoricalBaseline,
    private readonly options: ResolvedOptions,
  ) {
    this.bucketByCategory = new Map(baseline.frequencies.map((entry, bucket) => [entry.category, bucket]));
    this.otherBucket = baseline.frequencies.length;
    this.observed = new Float64Array(this.otherBucket + 1);
  }

  add(values: ColumnValues): void {
    const { bucketByCategory, observed, otherBucket } = this;
    let nullCount = 0;
    for (let i = 0; i < values.length; i++) {
      const category = categoryOf(values[i]);
      if (category === null) {
        nullCount++;
        continue;
      }
      const bucket = bucketByCategory.get(category) ?? otherBucket;
      observed[bucket] = (observed[bucket] as number) + 1;
    }
    this.nullCount += nullCount;
    this.count += values.length - nullCount;
  }

  result(): FeatureDrift {
    if (this.count === 0) return noCurrentValues("categorical", this.baseline, this.nullCount);
    const expected = [...this.baseline.frequencies.map((entry) => entry.count), this.baseline.otherCount];
    const observed = Array.from(this.observed);
    const measures = binMeasures(expected, observed, this.options.proportionFloor);
    const chiSquare = chiSquareHomogeneity(expected, observed);
    const driftedBy = driftedMeasures({ ...measures, chiSquarePValue: chiSquare.pValue }, this.options.thresholds);
    return {
      kind: "categorical",
      status: "ok",
      baseline: { count: this.baseline.count, nullCount: this.baseline.nullCount },
      current: { count: this.count, nullCount: this.nullCount },
      ...measures,
      chiSquare,
      binCounts: { categories: this.baseline.frequencies.map((entry) => entry.category), expected, observed },
      drifted: driftedBy.length > 0,
      driftedBy,
    };
  }
}
