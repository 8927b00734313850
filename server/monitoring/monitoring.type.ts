import { Field, Float, Int, ObjectType, registerEnumType } from "type-graphql";
import { ConnectionType } from "../graphql/connection.js";
import { Node } from "../graphql/node.type.js";
import { DateTime } from "../graphql/scalars.js";
import type { AlertDetails, AlertRecord, AlertStatusValue } from "./alerts/alert.repository.js";
import { type AlertKindValue, type EffectiveAlertRule, defaultRuleNamed } from "./alerts/alert-rules.js";
import type { FeatureDriftEntry } from "./drift/index.js";
import type { DriftReportRecord } from "./drift-report.repository.js";
import type { PerformanceSummary } from "./ground-truth/performance.js";
import { encodeMonitoringId } from "./monitoring-ids.js";

export enum AlertKind {
  DATA_DRIFT = "DATA_DRIFT",
  PREDICTION_DRIFT = "PREDICTION_DRIFT",
  LATENCY = "LATENCY",
  ERROR_RATE = "ERROR_RATE",
  ACCURACY = "ACCURACY",
}
registerEnumType(AlertKind, { name: "AlertKind", description: "What an alert rule watches." });

export enum AlertStatus {
  OPEN = "OPEN",
  ACKNOWLEDGED = "ACKNOWLEDGED",
  RESOLVED = "RESOLVED",
}
registerEnumType(AlertStatus, { name: "AlertStatus" });

@ObjectType({ description: "An alert rule as it applies to a deployment: a built-in default (maybe edited) or an added rule." })
export class AlertRule {
  @Field(() => String, {
    description:
      "Unique within the deployment; the built-in rules are p99-latency, error-rate, data-drift, prediction-drift and accuracy-drop.",
  })
  name!: string;

  @Field(() => AlertKind)
  kind!: AlertKindValue;

  @Field(() => Float, { description: "Fires above this value (see `meaning`)." })
  threshold!: number;

  @Field(() => String, { description: "What the threshold measures." })
  meaning!: string;

  @Field(() => Boolean)
  enabled!: boolean;

  @Field(() => Boolean, { description: "True for the built-in rules every deployment has." })
  builtIn!: boolean;

  @Field(() => DateTime, { nullable: true, description: "When last edited; null for a default never edited." })
  updatedAt!: Date | null;

  static from(rule: EffectiveAlertRule): AlertRule {
    const meaning = (defaultRuleNamed(rule.name) ?? DEFAULT_MEANING[rule.kind]).meaning;
    return Object.assign(new AlertRule(), { ...rule, meaning });
  }
}

const DEFAULT_MEANING: Record<AlertKindValue, { meaning: string }> = {
  LATENCY: { meaning: "p99 latency in milliseconds" },
  ERROR_RATE: { meaning: "share of failed requests (0.01 = 1 %)" },
  DATA_DRIFT: { meaning: "PSI of any input feature" },
  PREDICTION_DRIFT: { meaning: "PSI of the prediction" },
  ACCURACY: { meaning: "relative drop of accuracy (rise of RMSE) against the validation baseline" },
};

@ObjectType({ description: "Bin counts of a feature in the baseline and the window, on the baseline's bins." })
export class DriftHistogram {
  @Field(() => [Float], {
    nullable: true,
    description: "Numeric: interior bin edges e1 < … < ek; bins are (−∞, e1), [e1, e2), …, [ek, +∞).",
  })
  edges!: number[] | null;

  @Field(() => [String], {
    nullable: true,
    description: "Categorical: the baseline's top categories; the last count of each list is the 'other' bucket.",
  })
  categories!: string[] | null;

  @Field(() => [Int], { description: "Training (baseline) counts per bin." })
  baseline!: number[];

  @Field(() => [Int], { description: "Counts per bin in the window." })
  current!: number[];
}

@ObjectType({ description: "Drift of one feature (or of the prediction) in a window against its training baseline." })
export class FeatureDrift {
  @Field(() => String)
  feature!: string;

  @Field(() => String, { description: "numeric or categorical." })
  kind!: string;

  @Field(() => String, { description: "ok, or no-current-values when the window had no usable value." })
  status!: string;

  @Field(() => Boolean)
  drifted!: boolean;

  @Field(() => [String], { description: "Measures over their threshold, e.g. psi." })
  thresholdsExceeded!: string[];

  @Field(() => Float, { nullable: true })
  psi!: number | null;

  @Field(() => Float, { nullable: true, description: "KL(current ‖ baseline), nats." })
  kl!: number | null;

  @Field(() => Float, { nullable: true, description: "Jensen–Shannon distance, base 2." })
  jsDistance!: number | null;

  @Field(() => Float, { nullable: true, description: "Numeric only." })
  wasserstein!: number | null;

  @Field(() => Float, { nullable: true, description: "Two-sample KS statistic D (numeric only)." })
  ksStatistic!: number | null;

  @Field(() => Float, { nullable: true })
  ksPValue!: number | null;

  @Field(() => Float, { nullable: true, description: "Categorical only." })
  chiSquare!: number | null;

  @Field(() => Float, { nullable: true })
  chiSquarePValue!: number | null;

  @Field(() => Int)
  baselineCount!: number;

  @Field(() => Int)
  currentCount!: number;

  @Field(() => Int, { description: "Missing values in the window (not counted as drift)." })
  currentNullCount!: number;

  @Field(() => DriftHistogram, { nullable: true })
  histogram!: DriftHistogram | null;

  static from(entry: FeatureDriftEntry): FeatureDrift {
    const base = {
      feature: entry.feature,
      kind: entry.kind,
      status: entry.status,
      drifted: entry.drifted,
      thresholdsExceeded: entry.driftedBy,
      baselineCount: entry.baseline.count,
      currentCount: entry.current.count,
      currentNullCount: entry.current.nullCount,
      psi: null,
      kl: null,
      jsDistance: null,
      wasserstein: null,
      ksStatistic: null,
      ksPValue: null,
      chiSquare: null,
      chiSquarePValue: null,
      histogram: null,
    };
    if (entry.status !== "ok") return Object.assign(new FeatureDrift(), base);
    const measures = { psi: entry.psi, kl: entry.kl, jsDistance: entry.jsDistance };
    if (entry.kind === "numeric") {
      return Object.assign(new FeatureDrift(), base, measures, {
        wasserstein: entry.wasserstein,
        ksStatistic: entry.ks.statistic,
        ksPValue: entry.ks.pValue,
        histogram: Object.assign(new DriftHistogram(), {
          edges: entry.binCounts.edges,
          categories: null,
          baseline: entry.binCounts.expected,
          current: entry.binCounts.observed,
        }),
      });
    }
    return Object.assign(new FeatureDrift(), base, measures, {
      chiSquare: entry.chiSquare.statistic,
      chiSquarePValue: entry.chiSquare.pValue,
      histogram: Object.assign(new DriftHistogram(), {
        edges: null,
        categories: entry.binCounts.categories,
        baseline: entry.binCounts.expected,
        current: entry.binCounts.observed,
      }),
    });
  }
}

@ObjectType({ description: "Requests, errors and latency of a model version on the deployment over the window." })
export class ServingFiguresType {
  @Field(() => Int)
  requests!: number;

  @Field(() => Int)
  errors!: number;

  @Field(() => Float)
  errorRate!: number;

  @Field(() => Float, { nullable: true })
  p50Ms!: number | null;

  @Field(() => Float, { nullable: true })
  p99Ms!: number | null;
}

@ObjectType({ description: "Performance on the predictions with ground truth, and the validation baseline." })
export class ModelPerformance {
  @Field(() => String, { description: "classification or regression." })
  task!: string;

  @Field(() => Int, { description: "Predictions with ground truth in the window." })
  labeled!: number;

  @Field(() => Float, { nullable: true })
  accuracy!: number | null;

  @Field(() => Float, { nullable: true })
  precision!: number | null;

  @Field(() => Float, { nullable: true })
  recall!: number | null;

  @Field(() => Float, { nullable: true })
  rocAuc!: number | null;

  @Field(() => Float, { nullable: true })
  rmse!: number | null;

  @Field(() => Float, { nullable: true })
  mae!: number | null;

  @Field(() => Float, { nullable: true })
  baselineAccuracy!: number | null;

  @Field(() => Float, { nullable: true })
  baselineRocAuc!: number | null;

  @Field(() => Float, { nullable: true })
  baselineRmse!: number | null;

  static from(summary: PerformanceSummary): ModelPerformance {
    const empty = { accuracy: null, precision: null, recall: null, rocAuc: null, rmse: null, mae: null };
    if (summary.task === "classification") {
      return Object.assign(new ModelPerformance(), empty, {
        task: summary.task,
        labeled: summary.labeled,
        accuracy: summary.accuracy,
        precision: summary.precision,
        recall: summary.recall,
        rocAuc: summary.rocAuc,
        baselineAccuracy: summary.baseline.accuracy,
        baselineRocAuc: summary.baseline.rocAuc,
        baselineRmse: null,
      });
    }
    return Object.assign(new ModelPerformance(), empty, {
      task: summary.task,
      labeled: summary.labeled,
      rmse: summary.rmse,
      mae: summary.mae,
      baselineAccuracy: null,
      baselineRocAuc: null,
      baselineRmse: summary.baseline.rmse,
    });
  }
}

@ObjectType({ implements: Node, description: "What one monitoring run found for one model version serving on a deployment." })
export class DriftReport extends Node {
  deploymentKey!: string;
  modelVersionKey!: string;

  @Field(() => DateTime)
  windowStart!: Date;

  @Field(() => DateTime)
  windowEnd!: Date;

  @Field(() => Int, { description: "Prediction log rows read for the window." })
  sampleCount!: number;

  @Field(() => [String], { description: "Input features whose drift crossed the data-drift threshold." })
  driftedFeatures!: string[];

  @Field(() => [FeatureDrift], { description: "Every input feature, in the baseline's order." })
  features!: FeatureDrift[];

  @Field(() => FeatureDrift, { nullable: true, description: "Drift of the prediction." })
  prediction!: FeatureDrift | null;

  @Field(() => [String], { description: "Baseline features absent from the logged inputs." })
  missingFeatures!: string[];

  @Field(() => Float, { description: "PSI threshold of the data-drift rule when the report was made." })
  dataDriftThreshold!: number;

  @Field(() => Float)
  predictionDriftThreshold!: number;

  @Field(() => String, { nullable: true, description: "Why drift was not computed, when it was not." })
  skipped!: string | null;

  @Field(() => ServingFiguresType, { nullable: true })
  serving!: ServingFiguresType | null;

  @Field(() => ModelPerformance, { nullable: true, description: "Null until ground truth arrives for the window." })
  performance!: ModelPerformance | null;

  @Field(() => DateTime)
  createdAt!: Date;

  static from(row: DriftReportRecord): DriftReport {
    return Object.assign(new DriftReport(), {
      key: row.id,
      id: encodeMonitoringId("DriftReport", row.id),
      deploymentKey: row.deploymentId,
      modelVersionKey: row.modelVersionId,
      windowStart: row.windowStart,
      windowEnd: row.windowEnd,
      sampleCount: row.sampleCount,
      driftedFeatures: row.driftedFeatures,
      features: (row.featureScores.features ?? []).map(FeatureDrift.from),
      prediction: row.predictionDrift ? FeatureDrift.from(row.predictionDrift) : null,
      missingFeatures: row.featureScores.missingColumns ?? [],
      dataDriftThreshold: row.featureScores.thresholds?.dataDriftPsi ?? 0.2,
      predictionDriftThreshold: row.featureScores.thresholds?.predictionDriftPsi ?? 0.2,
      skipped: row.featureScores.skipped ?? null,
      serving: row.serving ? Object.assign(new ServingFiguresType(), row.serving) : null,
      performance: row.performance ? ModelPerformance.from(row.performance) : null,
      createdAt: row.createdAt,
    });
  }
}

export const DriftReportConnection = ConnectionType(DriftReport, "DriftReport");

@ObjectType({ description: "A dataset version upstream of an alert's model versions, with the role a run read it with." })
export class AlertDatasetVersionLink {
  datasetVersionKey!: string;

  @Field(() => String, { nullable: true, description: "TRAIN, VALIDATION, TEST or OTHER." })
  role!: string | null;
}

@ObjectType({
  implements: Node,
  description: "Raised when a rule fired; names the drifting features and links lineage and affected deployments.",
})
export class Alert extends Node {
  deploymentKey!: string;
  driftReportKey!: string | null;
  details!: AlertDetails;

  @Field(() => AlertKind)
  kind!: AlertKindValue;

  @Field(() => AlertStatus)
  status!: AlertStatusValue;

  @Field(() => String, { description: "warning, or critical at twice the threshold or more." })
  severity!: string;

  @Field(() => String)
  message!: string;

  @Field(() => String, { description: "Name of the rule that fired." })
  ruleName!: string;

  @Field(() => [String], { description: "Features whose drift crossed the rule's threshold (prediction for prediction drift)." })
  driftingFeatures!: string[];

  @Field(() => Float, { description: "The worst observed value." })
  observed!: number;

  @Field(() => Float, { description: "The threshold it crossed." })
  threshold!: number;

  @Field(() => DateTime)
  raisedAt!: Date;

  @Field(() => DateTime, { nullable: true })
  acknowledgedAt!: Date | null;

  @Field(() => DateTime, { nullable: true })
  resolvedAt!: Date | null;

  static from(row: AlertRecord): Alert {
    return Object.assign(new Alert(), {
      key: row.id,
      id: encodeMonitoringId("Alert", row.id),
      deploymentKey: row.deploymentId,
      driftReportKey: row.driftReportId,
      details: row.details,
      kind: row.kind,
      status: row.status,
      severity: row.severity,
      message: row.message,
      ruleName: row.details.ruleName,
      driftingFeatures: row.driftingFeatures,
      observed: row.details.observed,
      threshold: row.details.threshold,
      raisedAt: row.raisedAt,
      acknowledgedAt: row.acknowledgedAt,
      resolvedAt: row.resolvedAt,
    });
  }
}

export const AlertConnection = ConnectionType(Alert, "Alert");

@ObjectType()
export class RecordGroundTruthPayload {
  @Field(() => Int, { description: "Outcomes stored." })
  recorded!: number;

  @Field(() => Int, { description: "Of those, outcomes that replaced one recorded before." })
  updated!: number;
}
