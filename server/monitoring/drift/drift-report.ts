// Drift of every feature of a model version (and its prediction) in one report.
import type { ColumnBaselines } from "./baseline-schema.js";
import type { ColumnValues } from "./column-values.js";
import {
  createFeatureDriftAccumulator,
  type DriftOptions,
  type FeatureDrift,
  type FeatureDriftAccumulator,
} from "./feature-drift.js";

export type FeatureDriftEntry = FeatureDrift & { feature: string };

export interface DriftReport {
  /** One entry per baseline column that had a current column, in the baseline's key order. */
  features: FeatureDriftEntry[];
  /** Names of the drifted features, in the same order (what an alert names). */
  driftedFeatures: string[];
  /** Baseline columns absent from the current data. */
  missingColumns: string[];
  /** Current columns without a baseline; not compared. */
  ignoredColumns: string[];
}

/** Takes the current data in batches of columns (e.g. pages of a prediction log). */
export interface DriftReportAccumulator {
  /** A batch: column name → values. A column missing from a batch adds nothing for those rows. */
  add(columns: Readonly<Record<string, ColumnValues>>): void;
  result(): DriftReport;
}

export function createDriftReportAccumulator(baselines: ColumnBaselines, options: DriftOptions = {}): DriftReportAccumulator {
  const accumulators = new Map<string, FeatureDriftAccumulator>();
  const seen = new Set<string>();
  const ignored = new Set<string>();
  for (const [feature, baseline] of Object.entries(baselines)) {
    accumulators.set(feature, createFeatureDriftAccumulator(baseline, options));
  }
  return {
    add(columns) {
      for (const [name, values] of Object.entries(columns)) {
        const accumulator = accumulators.get(name);
        if (!accumulator) {
          ignored.add(name);
          continue;
        }
        seen.add(name);
        accumulator.add(values);
      }
    },
    result() {
      const features: FeatureDriftEntry[] = [];
      const missingColumns: string[] = [];
      for (const [feature, accumulator] of accumulators) {
        if (seen.has(feature)) features.push({ feature, ...accumulator.result() });
        else missingColumns.push(feature);
      }
      return {
        features,
        driftedFeatures: features.filter((entry) => entry.drifted).map((entry) => entry.feature),
        missingColumns,
        ignoredColumns: [...ignored],
      };
    },
  };
}

/** Drift of each current column against its baseline, in one pass per column. */
export function computeDriftReport(
  baselines: ColumnBaselines,
  columns: Readonly<Record<string, ColumnValues>>,
  options: DriftOptions = {},
): DriftReport {
  const accumulator = createDriftReportAccumulator(baselines, options);
  accumulator.add(columns);
  return accumulator.result();
}
