// Alert rules: the built-in defaults every deployment has from day one, overlaid by stored edits.
import { InputInvalidError } from "../../errors/common-errors.js";

export const ALERT_KINDS = ["DATA_DRIFT", "PREDICTION_DRIFT", "LATENCY", "ERROR_RATE", "ACCURACY"] as const;
export type AlertKindValue = (typeof ALERT_KINDS)[number];

export interface DefaultAlertRule {
  name: string;
  kind: AlertKindValue;
  threshold: number;
  /** What the threshold measures, for the API's descriptions and alert messages. */
  meaning: string;
}

/**
 * The defaults of issue 4. Error rate and accuracy drop are fractions (0.01 = 1 %); the accuracy
 * drop is relative to the validation baseline (accuracy below baseline × (1 − 0.05); for a
 * regressor, RMSE above baseline × (1 + 0.05)).
 */
export const DEFAULT_ALERT_RULES: readonly DefaultAlertRule[] = [
  { name: "p99-latency", kind: "LATENCY", threshold: 200, meaning: "p99 latency in milliseconds" },
  { name: "error-rate", kind: "ERROR_RATE", threshold: 0.01, meaning: "share of failed requests (0.01 = 1 %)" },
  { name: "data-drift", kind: "DATA_DRIFT", threshold: 0.2, meaning: "PSI of any input feature" },
  { name: "prediction-drift", kind: "PREDICTION_DRIFT", threshold: 0.2, meaning: "PSI of the prediction" },
  {
    name: "accuracy-drop",
    kind: "ACCURACY",
    threshold: 0.05,
    meaning: "relative drop of accuracy (rise of RMSE) against the validation baseline (0.05 = 5 %)",
  },
];

/** Open bounds per kind: [min, max], `minExclusive` when the minimum itself is refused. */
const THRESHOLD_RANGES: Record<AlertKindValue, { min: number; max: number; minExclusive: boolean; unit: string }> = {
  LATENCY: { min: 0, max: 3_600_000, minExclusive: true, unit: "milliseconds" },
  ERROR_RATE: { min: 0, max: 1, minExclusive: true, unit: "a fraction of requests" },
  DATA_DRIFT: { min: 0, max: 100, minExclusive: true, unit: "PSI" },
  PREDICTION_DRIFT: { min: 0, max: 100, minExclusive: true, unit: "PSI" },
  ACCURACY: { min: 0, max: 1, minExclusive: true, unit: "a fraction of the baseline" },
};

/** A rule as it applies to a deployment: a default, a default edited, or a rule added by name. */
export interface EffectiveAlertRule {
  name: string;
  kind: AlertKindValue;
  threshold: number;
  enabled: boolean;
  /** True for the built-in rules (edited or not). */
  builtIn: boolean;
  /** Row key once stored (edited, or materialized when it first raised an alert). */
  id: string | null;
  updatedAt: Date | null;
}

/** A stored alert_rule row as the repository reads it. */
export interface StoredAlertRule {
  id: string;
  deploymentId: string;
  name: string;
  kind: AlertKindValue;
  config: unknown;
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

const RULE_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;

export function defaultRuleNamed(name: string): DefaultAlertRule | undefined {
  return DEFAULT_ALERT_RULES.find((rule) => rule.name === name);
}

export function defaultRuleOfKind(kind: AlertKindValue): DefaultAlertRule {
  return DEFAULT_ALERT_RULES.find((rule) => rule.kind === kind)!;
}

/** The threshold stored in a rule's config, or the kind's default when the config has none. */
export function thresholdOf(kind: AlertKindValue, config: unknown): number {
  const value = (config as { threshold?: unknown } | null)?.threshold;
  return typeof value === "number" && Number.isFinite(value) ? value : defaultRuleOfKind(kind).threshold;
}

/** Built-in defaults in their fixed order, each replaced by its stored row; then stored custom rules by name. */
export function effectiveAlertRules(stored: readonly StoredAlertRule[]): EffectiveAlertRule[] {
  const byName = new Map(stored.map((row) => [row.name, row]));
  const rules: EffectiveAlertRule[] = DEFAULT_ALERT_RULES.map((rule) => {
    const row = byName.get(rule.name);
    return {
      name: rule.name,
      kind: rule.kind,
      threshold: row ? thresholdOf(rule.kind, row.config) : rule.threshold,
      enabled: row ? row.enabled : true,
      builtIn: true,
      id: row?.id ?? null,
      updatedAt: row?.updatedAt ?? null,
    };
  });
  const custom = stored
    .filter((row) => !defaultRuleNamed(row.name))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((row) => ({
      name: row.name,
      kind: row.kind,
      threshold: thresholdOf(row.kind, row.config),
      enabled: row.enabled,
      builtIn: false,
      id: row.id,
      updatedAt: row.updatedAt,
    }));
  return [...rules, ...custom];
}

export interface AlertRuleEdit {
  /** Rule name; null means the built-in rule of `kind`. */
  name: string | null;
  kind: AlertKindValue;
  /** Null keeps the current threshold. */
  threshold: number | null;
  /** Null keeps the current state. */
  enabled: boolean | null;
}

/** Checks an edit and returns the rule's name; throws BAD_USER_INPUT naming the field. */
export function checkAlertRuleEdit(edit: AlertRuleEdit): string {
  const name = edit.name ?? defaultRuleOfKind(edit.kind).name;
  if (!RULE_NAME.test(name)) {
    throw new InputInvalidError(
      "input.name",
      `must be 1–63 characters of lowercase letters, digits, ".", "_" or "-", starting with a letter or digit; got "${name.slice(0, 80)}".`,
    );
  }
  const builtIn = defaultRuleNamed(name);
  if (builtIn && builtIn.kind !== edit.kind) {
    throw new InputInvalidError("input.kind", `must be ${builtIn.kind} for the built-in rule "${name}"; got ${edit.kind}.`);
  }
  if (edit.threshold !== null) checkThreshold(edit.kind, edit.threshold, "input.threshold");
  return name;
}

export function checkThreshold(kind: AlertKindValue, threshold: number, field: string): void {
  const range = THRESHOLD_RANGES[kind];
  const tooLow = range.minExclusive ? threshold <= range.min : threshold < range.min;
  if (!Number.isFinite(threshold) || tooLow || threshold > range.max) {
    throw new InputInvalidError(
      field,
      `must be a number above ${range.min} and at most ${range.max} (${range.unit}) for a ${kind} rule; got ${threshold}.`,
    );
  }
}
