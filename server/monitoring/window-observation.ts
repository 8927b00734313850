// One model version on one deployment over one window: drift, serving figures and performance.
import type { Database } from "../db/database.js";
import type { PredictionLogRepository, PredictionLogRow } from "../serving/prediction-log.repository.js";
import type { ServingStatsRepository } from "../serving/serving-stats.repository.js";
import { PREDICTION_BASELINE_KEY } from "../../workers/jobs/train-model.job.js";
import type { ModelVersionObservation } from "./alerts/rule-evaluation.js";
import {
  type ColumnBaselines,
  type ColumnValue,
  type FeatureDriftEntry,
  createDriftReportAccumulator,
  parseColumnBaselines,
} from "./drift/index.js";
import type { NewDriftReport } from "./drift-report.repository.js";
import type { GroundTruthRepository } from "./ground-truth/ground-truth.repository.js";
import { modelTaskOf } from "./ground-truth/model-task.js";
import { computePerformance, predictedLabelOf, predictedValueOf } from "./ground-truth/performance.js";

/** Most prediction log rows read per model version and window (the newest); drift memory is bounded anyway. */
export const MAX_WINDOW_ROWS = 50_000;
/** Most labeled predictions scored per model version and window. */
export const MAX_LABELED_ROWS = 50_000;

export interface ObservationSources {
  db: Database;
  predictionLog: PredictionLogRepository;
  servingStats: ServingStatsRepository;
  groundTruth: GroundTruthRepository;
}

export interface ObservationRequest {
  deploymentId: string;
  modelVersionId: string;
  from: Date;
  to: Date;
  thresholds: { dataDriftPsi: number; predictionDriftPsi: number };
}

export interface WindowObservation {
  modelVersionId: string;
  /** What the drift report stores (without deployment, window and job). */
  report: Omit<NewDriftReport, "deploymentId" | "windowStart" | "windowEnd" | "jobId">;
  /** What the rules read (the report id is filled in once written). */
  evaluation: Omit<ModelVersionObservation, "driftReportId">;
}

interface ModelVersionFacts {
  signature: unknown;
  metrics: unknown;
  baselineStats: unknown;
  version: number;
  model: { name: string };
}

function baselinesOf(raw: unknown): { baselines: ColumnBaselines | null; skipped: string | null } {
  if (raw === null || raw === undefined) return { baselines: null, skipped: "the model version has no baseline statistics" };
  try {
    return { baselines: parseColumnBaselines(raw), skipped: null };
  } catch {
    return { baselines: null, skipped: "the model version's baseline statistics do not parse" };
  }
}

/** The logged inputs as columns, plus the prediction as the baseline's kind of column. */
function columnsOf(rows: readonly PredictionLogRow[], baselines: ColumnBaselines, classes: string[] | null) {
  const columns: Record<string, ColumnValue[]> = {};
  const features = Object.keys(baselines).filter((name) => name !== PREDICTION_BASELINE_KEY);
  for (const feature of features) columns[feature] = [];
  const present = new Set<string>();
  for (const row of rows) {
    const inputs = row.inputs ?? {};
    for (const feature of features) {
      if (feature in inputs) present.add(feature);
      columns[feature]!.push((inputs[feature] ?? null) as ColumnValue);
    }
  }
  // A feature never logged is reported missing, not as a column of nulls.
  for (const feature of features) if (!present.has(feature)) delete columns[feature];
  const predictionBaseline = baselines[PREDICTION_BASELINE_KEY];
  if (predictionBaseline) {
    const successful = rows.filter((row) => row.error === null);
    columns[PREDICTION_BASELINE_KEY] =
      predictionBaseline.kind === "categorical"
        ? successful.map((row) => predictedLabelOf(row.outputs, classes))
        : successful.map((row) => predictedValueOf(row.outputs));
  }
  return columns;
}

export async function observeModelVersion(sources: ObservationSources, request: ObservationRequest): Promise<WindowObservation> {
  const { deploymentId, modelVersionId, from, to, thresholds } = request;
  const facts = (await sources.db.prisma.modelVersion.findUnique({
    where: { id: modelVersionId },
    select: { signature: true, metrics: true, baselineStats: true, version: true, model: { select: { name: true } } },
  })) as ModelVersionFacts | null;
  const task = modelTaskOf(facts?.signature, facts?.metrics);
  const classes = task.task === "classification" ? task.classes : null;
  const rows = await sources.predictionLog.listWindow(deploymentId, { modelVersionId, from, to, limit: MAX_WINDOW_ROWS });

  const { baselines, skipped } = baselinesOf(facts?.baselineStats);
  let features: FeatureDriftEntry[] = [];
  let prediction: FeatureDriftEntry | null = null;
  let missingColumns: string[] = [];
  let ignoredColumns: string[] = [];
  if (baselines && rows.length > 0) {
    const accumulator = createDriftReportAccumulator(baselines, { thresholds: { psi: thresholds.dataDriftPsi } });
    accumulator.add(columnsOf(rows, baselines, classes));
    const drift = accumulator.result();
    features = drift.features.filter((entry) => entry.feature !== PREDICTION_BASELINE_KEY);
    const predicted = drift.features.find((entry) => entry.feature === PREDICTION_BASELINE_KEY) ?? null;
    // The prediction has its own rule and threshold.
    prediction =
      predicted && predicted.status === "ok"
        ? {
            ...predicted,
            drifted: predicted.psi > thresholds.predictionDriftPsi,
            driftedBy: predicted.psi > thresholds.predictionDriftPsi ? ["psi"] : [],
          }
        : predicted;
    missingColumns = drift.missingColumns;
    ignoredColumns = drift.ignoredColumns;
  }

  const stats = await sources.servingStats.window(deploymentId, modelVersionId, from, to);
  const serving = stats.requests > 0 ? stats : null;
  const labeled = await sources.groundTruth.labeledInWindow(deploymentId, modelVersionId, from, to, MAX_LABELED_ROWS);
  const performance = computePerformance(task, (facts?.metrics ?? {}) as Record<string, unknown>, labeled);

  const driftedFeatures = features.filter((entry) => entry.drifted).map((entry) => entry.feature);
  return {
    modelVersionId,
    report: {
      modelVersionId,
      sampleCount: rows.length,
      featureScores: {
        features,
        missingColumns,
        ignoredColumns,
        thresholds,
        skipped: skipped ?? (rows.length === 0 ? "no predictions were logged in the window" : null),
      },
      driftedFeatures,
      predictionDrift: prediction,
      serving,
      performance,
    },
    evaluation: {
      modelVersionId,
      label: facts ? `${facts.model.name} v${facts.version}` : undefined,
      sampleCount: rows.length,
      features,
      prediction,
      serving,
      performance,
    },
  };
}
