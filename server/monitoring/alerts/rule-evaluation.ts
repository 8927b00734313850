// Whether a rule fires on what one monitoring run observed (pure: no database, no queue).
import type { FeatureDriftEntry } from "../drift/index.js";
import type { PerformanceSummary } from "../ground-truth/performance.js";
import type { AlertKindValue, EffectiveAlertRule } from "./alert-rules.js";

/** Fewer rows than this in a window say nothing reliable about drift. */
export const MIN_DRIFT_ROWS = 20;
/** Fewer labeled predictions than this say nothing reliable about accuracy. */
export const MIN_LABELED_ROWS = 20;

export interface ServingFigures {
  requests: number;
  errors: number;
  errorRate: number;
  /** Null when there were no requests. */
  p50Ms: number | null;
  p99Ms: number | null;
}

/** What a monitoring run saw for one model version serving on the deployment. */
export interface ModelVersionObservation {
  modelVersionId: string;
  /** How people name the version in messages, e.g. `churn-classifier v3`; absent: its id. */
  label?: string | undefined;
  driftReportId: string;
  /** Prediction log rows read for the window. */
  sampleCount: number;
  /** Input features' drift (the prediction excluded); empty without a baseline. */
  features: FeatureDriftEntry[];
  /** The prediction's drift; null without a prediction baseline or predictions. */
  prediction: FeatureDriftEntry | null;
  serving: ServingFigures | null;
  performance: PerformanceSummary | null;
}

export interface RuleFiring {
  rule: EffectiveAlertRule;
  kind: AlertKindValue;
  severity: "warning" | "critical";
  message: string;
  /** Features whose PSI crossed the rule's threshold (DATA_DRIFT; "prediction" for PREDICTION_DRIFT). */
  driftingFeatures: string[];
  /** The model versions that crossed it. */
  modelVersionIds: string[];
  /** The report of the worst model version. */
  driftReportId: string;
  /** The worst observed value and the threshold it crossed. */
  observed: number;
  threshold: number;
}

const psiOf = (entry: FeatureDriftEntry): number | null => (entry.status === "ok" ? entry.psi : null);

const round = (value: number, digits = 4) => Number(value.toFixed(digits));

interface Crossing {
  observation: ModelVersionObservation;
  observed: number;
  features: string[];
}

/** The rule's crossing per model version (most severe first), or an empty list. */
function crossings(rule: EffectiveAlertRule, observations: readonly ModelVersionObservation[]): Crossing[] {
  const found: Crossing[] = [];
  for (const observation of observations) {
    switch (rule.kind) {
      case "DATA_DRIFT": {
        if (observation.sampleCount < MIN_DRIFT_ROWS) break;
        const drifting = observation.features.filter((entry) => (psiOf(entry) ?? 0) > rule.threshold);
        if (drifting.length === 0) break;
        drifting.sort((a, b) => (psiOf(b) ?? 0) - (psiOf(a) ?? 0));
        found.push({ observation, observed: psiOf(drifting[0]!)!, features: drifting.map((entry) => entry.feature) });
        break;
      }
      case "PREDICTION_DRIFT": {
        const psi = observation.prediction ? psiOf(observation.prediction) : null;
        if (observation.sampleCount < MIN_DRIFT_ROWS || psi === null || psi <= rule.threshold) break;
        found.push({ observation, observed: psi, features: [observation.prediction!.feature] });
        break;
      }
      case "LATENCY": {
        const serving = observation.serving;
        if (!serving || serving.p99Ms === null || serving.p99Ms <= rule.threshold) break;
        found.push({ observation, observed: serving.p99Ms, features: [] });
        break;
      }
      case "ERROR_RATE": {
        const serving = observation.serving;
        if (!serving || serving.requests === 0 || serving.errorRate <= rule.threshold) break;
        found.push({ observation, observed: serving.errorRate, features: [] });
        break;
      }
      case "ACCURACY": {
        const performance = observation.performance;
        if (!performance || performance.labeled < MIN_LABELED_ROWS) break;
        // Observed = relative drop (accuracy) or relative rise (RMSE) against the baseline.
        if (performance.task === "classification") {
          const baseline = performance.baseline.accuracy;
          if (baseline === null || baseline <= 0) break;
          const drop = (baseline - performance.accuracy) / baseline;
          if (drop > rule.threshold) found.push({ observation, observed: drop, features: [] });
        } else {
          const baseline = performance.baseline.rmse;
          if (baseline === null || baseline <= 0) break;
          const rise = (performance.rmse - baseline) / baseline;
          if (rise > rule.threshold) found.push({ observation, observed: rise, features: [] });
        }
        break;
      }
    }
  }
  return found.sort((a, b) => b.observed - a.observed);
}

function messageOf(rule: EffectiveAlertRule, worst: Crossing, features: string[]): string {
  const version = worst.observation.label ?? `model version ${worst.observation.modelVersionId}`;
  switch (rule.kind) {
    case "DATA_DRIFT":
      return `Data drift: ${features.join(", ")} (PSI up to ${round(worst.observed)} > ${rule.threshold}) on ${version}.`;
    case "PREDICTION_DRIFT":
      return `Prediction drift: PSI ${round(worst.observed)} > ${rule.threshold} on ${version}.`;
    case "LATENCY":
      return `p99 latency ${round(worst.observed, 2)} ms > ${rule.threshold} ms on ${version}.`;
    case "ERROR_RATE":
      return `Error rate ${round(worst.observed * 100, 2)} % > ${round(rule.threshold * 100, 2)} % on ${version}.`;
    case "ACCURACY": {
      const performance = worst.observation.performance!;
      return performance.task === "classification"
        ? `Accuracy ${round(performance.accuracy)} is ${round(worst.observed * 100, 2)} % below the validation baseline ${performance.baseline.accuracy} (limit ${round(rule.threshold * 100, 2)} %) on ${version}.`
        : `RMSE ${round(performance.rmse)} is ${round(worst.observed * 100, 2)} % above the validation baseline ${performance.baseline.rmse} (limit ${round(rule.threshold * 100, 2)} %) on ${version}.`;
    }
  }
}

/** Null when the rule is disabled or nothing crossed its threshold. */
export function evaluateRule(rule: EffectiveAlertRule, observations: readonly ModelVersionObservation[]): RuleFiring | null {
  if (!rule.enabled) return null;
  const found = crossings(rule, observations);
  const worst = found[0];
  if (!worst) return null;
  const features = [...new Set(found.flatMap((crossing) => crossing.features))];
  return {
    rule,
    kind: rule.kind,
    // Twice the limit (or more) is critical; just over it is a warning.
    severity: worst.observed >= 2 * rule.threshold ? "critical" : "warning",
    message: messageOf(rule, worst, features),
    driftingFeatures: features,
    modelVersionIds: found.map((crossing) => crossing.observation.modelVersionId),
    driftReportId: worst.observation.driftReportId,
    observed: worst.observed,
    threshold: rule.threshold,
  };
}
