import { describe, expect, it } from "vitest";
import { computePerformance } from "../ground-truth/performance.js";
import { checkAlertRuleEdit, effectiveAlertRules, type StoredAlertRule } from "./alert-rules.js";
import { evaluateRule, type ModelVersionObservation } from "./rule-evaluation.js";

const stored = (name: string, kind: StoredAlertRule["kind"], threshold: number, enabled = true): StoredAlertRule => ({
  id: `id-${name}`,
  deploymentId: "d",
  name,
  kind,
  config: { threshold },
  enabled,
  createdAt: new Date(0),
  updatedAt: new Date(0),
});

const observation = (overrides: Partial<ModelVersionObservation>): ModelVersionObservation => ({
  modelVersionId: "mv",
  driftReportId: "r",
  sampleCount: 100,
  features: [],
  prediction: null,
  serving: null,
  performance: null,
  ...overrides,
});

describe("alert rules", () => {
  it("overlays stored rows on the defaults and appends added rules", () => {
    const rules = effectiveAlertRules([stored("p99-latency", "LATENCY", 150, false), stored("a-custom", "ERROR_RATE", 0.05)]);
    expect(rules.map((rule) => [rule.name, rule.threshold, rule.enabled, rule.builtIn])).toEqual([
      ["p99-latency", 150, false, true],
      ["error-rate", 0.01, true, true],
      ["data-drift", 0.2, true, true],
      ["prediction-drift", 0.2, true, true],
      ["accuracy-drop", 0.05, true, true],
      ["a-custom", 0.05, true, false],
    ]);
  });

  it("checks thresholds per kind", () => {
    expect(checkAlertRuleEdit({ name: null, kind: "LATENCY", threshold: 250, enabled: null })).toBe("p99-latency");
    expect(() => checkAlertRuleEdit({ name: null, kind: "ERROR_RATE", threshold: 2, enabled: null })).toThrow(/input.threshold/);
    expect(() => checkAlertRuleEdit({ name: null, kind: "DATA_DRIFT", threshold: Number.NaN, enabled: null })).toThrow();
  });

  it("fires latency and error-rate rules above their thresholds only", () => {
    const [latency, errorRate] = effectiveAlertRules([]);
    const serving = { requests: 1000, errors: 10, errorRate: 0.01, p50Ms: 20, p99Ms: 200 };
    expect(evaluateRule(latency!, [observation({ serving })])).toBeNull();
    expect(evaluateRule(errorRate!, [observation({ serving })])).toBeNull();
    const slow = evaluateRule(latency!, [observation({ serving: { ...serving, p99Ms: 450, errorRate: 0.02 } })]);
    expect(slow).toMatchObject({ kind: "LATENCY", observed: 450, severity: "critical" });
    expect(evaluateRule(errorRate!, [observation({ serving: { ...serving, errorRate: 0.015 } })])).toMatchObject({
      severity: "warning",
    });
  });

  it("names the model version in the message the way people do, falling back to its id", () => {
    const [latency] = effectiveAlertRules([]);
    const serving = { requests: 1000, errors: 0, errorRate: 0, p50Ms: 20, p99Ms: 450 };
    const named = evaluateRule(latency!, [observation({ serving, label: "churn-classifier v3" })]);
    expect(named?.message).toBe("p99 latency 450 ms > 200 ms on churn-classifier v3.");
    expect(evaluateRule(latency!, [observation({ serving })])?.message).toBe("p99 latency 450 ms > 200 ms on model version mv.");
  });

  it("scores classifier ground truth and fires the accuracy rule on a relative drop", () => {
    const task = { task: "classification" as const, classes: ["no", "yes"] };
    const rows = Array.from({ length: 40 }, (_, i) => ({
      outputs: { label: i % 2 ? "yes" : "no", probabilities: i % 2 ? [0.3, 0.7] : [0.6, 0.4] },
      label: i < 36 ? (i % 2 ? "yes" : "no") : i % 2 ? "no" : "yes",
      value: null,
    }));
    const performance = computePerformance(task, { accuracy: 0.96 }, rows)!;
    expect(performance).toMatchObject({ task: "classification", labeled: 40, accuracy: 0.9 });
    const accuracyRule = effectiveAlertRules([]).find((rule) => rule.kind === "ACCURACY")!;
    const firing = evaluateRule(accuracyRule, [observation({ performance })]);
    expect(firing?.observed).toBeCloseTo(0.06 / 0.96, 12);
    expect(evaluateRule({ ...accuracyRule, threshold: 0.1 }, [observation({ performance })])).toBeNull();
  });

  it("scores regressors by RMSE against the baseline", () => {
    const rows = [1, 2, 3, 4].map((v) => ({ outputs: { prediction: v + 1 }, label: null, value: v }));
    expect(computePerformance({ task: "regression" }, { rmse: 0.5 }, rows)).toMatchObject({
      task: "regression",
      labeled: 4,
      rmse: 1,
      mae: 1,
      baseline: { rmse: 0.5 },
    });
  });
});
