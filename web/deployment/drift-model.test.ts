import { describe, expect, it } from "vitest";
import { type DriftReportView, driftOverTime, histogramBins, modelVersionsWithReports, reportsOf } from "./drift-model";

function report(
  id: string,
  modelVersionId: string,
  windowEnd: string,
  psi: Record<string, number | null>,
  skipped: string | null = null,
): DriftReportView {
  return {
    __typename: "DriftReport",
    id,
    windowStart: windowEnd,
    windowEnd,
    sampleCount: 100,
    skipped,
    dataDriftThreshold: 0.2,
    predictionDriftThreshold: 0.2,
    driftedFeatures: [],
    modelVersion: { __typename: "ModelVersion", id: modelVersionId, version: 1, model: { __typename: "Model", name: "m" } },
    serving: null,
    prediction: null,
    features: Object.entries(psi).map(([feature, value]) => ({
      __typename: "FeatureDrift",
      feature,
      kind: "numeric",
      status: "ok",
      psi: value,
      drifted: (value ?? 0) > 0.2,
      histogram: null,
    })),
  } as DriftReportView;
}

describe("drift dashboard data", () => {
  const reports = [
    report("r3", "mv1", "2026-11-08T12:00:00.000Z", { x0: 0.5, x1: 0.01 }),
    report("r1", "mv1", "2026-11-08T10:00:00.000Z", { x0: 0.02 }),
    report("r2", "mv2", "2026-11-08T11:00:00.000Z", { x0: 0.03 }),
    report("r4", "mv1", "2026-11-08T13:00:00.000Z", {}, "no baseline"),
  ];

  it("keeps one model version's computed reports, oldest first", () => {
    expect(reportsOf(reports, "mv1").map((entry) => entry.id)).toEqual(["r1", "r3"]);
  });

  it("gives one PSI series per feature over the window ends, with gaps where a feature is missing", () => {
    const drift = driftOverTime(reportsOf(reports, "mv1"));
    expect(drift.x).toEqual([Date.parse("2026-11-08T10:00:00Z") / 1000, Date.parse("2026-11-08T12:00:00Z") / 1000]);
    expect(drift.features).toEqual([
      { feature: "x0", psi: [0.02, 0.5] },
      { feature: "x1", psi: [null, 0.01] },
    ]);
    expect(drift.threshold).toBe(0.2);
  });

  it("lists model versions with the most reports first", () => {
    expect(modelVersionsWithReports(reports).map((entry) => [entry.id, entry.count])).toEqual([
      ["mv1", 3],
      ["mv2", 1],
    ]);
  });

  it("labels numeric bins by their edges and compares shares, not counts", () => {
    const bins = histogramBins({ baseline: [10, 30, 60], current: [1, 1, 2], edges: [0, 1.5] });
    expect(bins.labels).toEqual(["< 0", "0–1.5", "≥ 1.5"]);
    expect(bins.baseline).toEqual([0.1, 0.3, 0.6]);
    expect(bins.current).toEqual([0.25, 0.25, 0.5]);
  });

  it("labels categorical bins by category, the last one 'other'", () => {
    const bins = histogramBins({ baseline: [5, 5, 0], current: [0, 0, 0], categories: ["a", "b"] });
    expect(bins.labels).toEqual(["a", "b", "other"]);
    expect(bins.current).toEqual([0, 0, 0]);
  });
});
