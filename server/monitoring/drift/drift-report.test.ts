import { describe, expect, it } from "vitest";
import { buildColumnBaselines } from "./baseline.js";
import { parseColumnBaselines } from "./baseline-schema.js";
import { computeDriftReport, createDriftReportAccumulator } from "./drift-report.js";
import { categoricalColumn, normalColumn } from "./synthetic.js";

const baselines = parseColumnBaselines(
  JSON.parse(
    JSON.stringify(
      buildColumnBaselines({
        age: { kind: "numeric", values: normalColumn(20_000, 1, 40, 10) },
        income: { kind: "numeric", values: normalColumn(20_000, 2, 50_000, 10_000) },
        country: { kind: "categorical", values: categoricalColumn(20_000, 3, ["fr", "de", "it"]) },
        score: { kind: "numeric", values: normalColumn(20_000, 4, 0.5, 0.1) },
      }),
    ),
  ),
);

const current = {
  age: normalColumn(40_000, 11, 40, 10),
  income: normalColumn(40_000, 12, 60_000, 10_000),
  country: categoricalColumn(40_000, 13, ["fr", "de", "it"], [1, 1, 3]),
  extra: [1, 2, 3],
};

describe("computeDriftReport", () => {
  const report = computeDriftReport(baselines, current);

  it("names the drifted features, the missing and the ignored columns", () => {
    expect(report.features.map((entry) => entry.feature)).toEqual(["age", "income", "country"]);
    expect(report.driftedFeatures).toEqual(["income", "country"]);
    expect(report.missingColumns).toEqual(["score"]);
    expect(report.ignoredColumns).toEqual(["extra"]);
    expect(report.features.map((entry) => entry.kind)).toEqual(["numeric", "numeric", "categorical"]);
  });

  it("is plain JSON: it survives a round trip unchanged", () => {
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it("gives the same report when the data arrives in batches of rows", () => {
    const accumulator = createDriftReportAccumulator(baselines);
    for (let start = 0; start < 40_000; start += 10_000) {
      accumulator.add({
        age: current.age.subarray(start, start + 10_000),
        income: current.income.subarray(start, start + 10_000),
        country: current.country.slice(start, start + 10_000),
        ...(start === 0 ? { extra: current.extra } : {}),
      });
    }
    expect(accumulator.result()).toEqual(report);
  });
});
