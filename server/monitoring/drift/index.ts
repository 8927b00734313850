// Drift statistics: baselines at training time, drift measures and reports at monitoring time.
export {
  buildCategoricalBaseline,
  buildColumnBaseline,
  buildColumnBaselines,
  buildNumericBaseline,
  type BaselineOptions,
  type CategoricalBaselineOptions,
  DEFAULT_BASELINE_SAMPLE_SIZE,
  DEFAULT_SAMPLE_SEED,
  DEFAULT_TOP_K,
  type NumericBaselineOptions,
} from "./baseline.js";
export {
  BASELINE_QUANTILES,
  type BaselineQuantiles,
  type CategoricalBaseline,
  type ColumnBaseline,
  type ColumnBaselines,
  categoricalBaselineSchema,
  columnBaselineSchema,
  columnBaselinesSchema,
  type NumericBaseline,
  numericBaselineSchema,
  parseColumnBaseline,
  parseColumnBaselines,
} from "./baseline-schema.js";
export { binCounts, binIndex, DEFAULT_BIN_COUNT, quantileBinEdges } from "./binning.js";
export { type ChiSquareTest, chiSquareGoodnessOfFit, chiSquareHomogeneity, chiSquareSurvival } from "./chi-square.js";
export { type ColumnKind, type ColumnValue, type ColumnValues, categoryOf, isFiniteNumber } from "./column-values.js";
export { jensenShannonDistance, klDivergence } from "./divergence.js";
export {
  computeDriftReport,
  createDriftReportAccumulator,
  type DriftReport,
  type DriftReportAccumulator,
  type FeatureDriftEntry,
} from "./drift-report.js";
export {
  type CategoricalFeatureDrift,
  type ColumnCounts,
  computeFeatureDrift,
  createFeatureDriftAccumulator,
  DEFAULT_CURRENT_SAMPLE_SIZE,
  DEFAULT_CURRENT_SEED,
  type DriftOptions,
  type FeatureDrift,
  type FeatureDriftAccumulator,
  type NoCurrentValuesDrift,
  type NumericFeatureDrift,
} from "./feature-drift.js";
export { type KsTest, kolmogorovSurvival, ksPValue, ksStatistic, ksTest, ksTestSorted } from "./ks.js";
export { flooredProportions, PROPORTION_FLOOR, toProportions } from "./proportions.js";
export { populationStabilityIndex } from "./psi.js";
export { quantileOfSorted } from "./quantiles.js";
export { ReservoirSampler } from "./reservoir.js";
export { DEFAULT_DRIFT_THRESHOLDS, type DriftMeasure, type DriftThresholds } from "./thresholds.js";
export { wassersteinDistance, wassersteinSorted } from "./wasserstein.js";
