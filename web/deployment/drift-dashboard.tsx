"use client";

import { useId, useMemo, useState } from "react";
import { BarChart } from "../charts/bar-chart";
import { formatValue, seriesColorVar } from "../charts/chart-series";
import { LineChart } from "../charts/line-chart";
import { formatInstant } from "../components/time-text";
import { type DriftReportView, driftOverTime, histogramBins, modelVersionsWithReports, reportsOf } from "./drift-model";

/**
 * Drift of one model version on the deployment: PSI per feature over the monitoring windows with the
 * data-drift threshold, and the baseline vs current histogram of one feature in one window.
 */
export function DriftDashboard(props: { reports: readonly DriftReportView[] }) {
  const versionId = useId();
  const featureId = useId();
  const reportId = useId();
  const versions = useMemo(() => modelVersionsWithReports(props.reports), [props.reports]);
  const [chosenVersion, setChosenVersion] = useState<string | null>(null);
  const version = chosenVersion ?? versions[0]?.id ?? null;
  const reports = useMemo(() => (version ? reportsOf(props.reports, version) : []), [props.reports, version]);
  const drift = useMemo(() => driftOverTime(reports), [reports]);
  const series = useMemo(
    () => drift.features.map((entry, index) => ({ label: entry.feature, values: entry.psi, colorVar: seriesColorVar(index) })),
    [drift],
  );
  const thresholds = useMemo(
    () => (drift.threshold === null ? [] : [{ label: "threshold", value: drift.threshold, colorVar: "--error-fg" }]),
    [drift.threshold],
  );

  const newest = reports.at(-1);
  const [chosenReport, setChosenReport] = useState<string | null>(null);
  const report = reports.find((entry) => entry.id === chosenReport) ?? newest;
  const featureNames = report
    ? [...report.features.map((entry) => entry.feature), ...(report.prediction ? ["prediction"] : [])]
    : [];
  // The feature that drifts most is what people look at first.
  const worst = report?.features.reduce<string | null>(
    (best, entry) =>
      best === null || (entry.psi ?? 0) > (report.features.find((other) => other.feature === best)?.psi ?? 0)
        ? entry.feature
        : best,
    null,
  );
  const [chosenFeature, setChosenFeature] = useState<string | null>(null);
  const feature = chosenFeature && featureNames.includes(chosenFeature) ? chosenFeature : (worst ?? featureNames[0] ?? null);
  const entry =
    feature === "prediction" ? report?.prediction : report?.features.find((candidate) => candidate.feature === feature);
  const bins = useMemo(() => (entry?.histogram ? histogramBins(entry.histogram) : null), [entry]);
  const binSeries = useMemo(
    () =>
      bins
        ? [
            { label: "baseline (training)", values: bins.baseline, colorVar: "--fg-muted" },
            { label: "current window", values: bins.current, colorVar: "--kind-deployment" },
          ]
        : [],
    [bins],
  );

  if (versions.length === 0) {
    return <p className="muted">No drift report yet: monitoring writes one per window once predictions are logged.</p>;
  }
  const drifting = newest?.driftedFeatures ?? [];
  return (
    <div data-testid="drift-dashboard">
      <div className="toolbar-row">
        <label htmlFor={versionId}>Model version</label>
        <select id={versionId} value={version ?? ""} onChange={(event) => setChosenVersion(event.target.value)}>
          {versions.map((option) => (
            <option key={option.id} value={option.id}>
              {option.label} ({option.count} reports)
            </option>
          ))}
        </select>
      </div>
      {reports.length === 0 ? (
        <p className="muted">Every report of this version was skipped (no baseline statistics, or too few predictions).</p>
      ) : (
        <>
          <p>
            Newest window ({newest ? formatInstant(newest.windowEnd) : "—"}, {newest?.sampleCount.toLocaleString()} predictions):{" "}
            {drifting.length > 0 ? <strong>drifting: {drifting.join(", ")}</strong> : "no feature over the threshold"}.
          </p>
          <LineChart
            title="PSI per feature over time"
            summary={`${reports.length} windows; threshold ${formatValue(drift.threshold)}. ${drift.features
              .map((line) => `${line.feature} last ${formatValue(line.psi.at(-1))}`)
              .join(", ")}.`}
            x={drift.x}
            time
            xLabel="Window end"
            series={series}
            thresholds={thresholds}
            testId="drift-over-time"
          />
          <div className="toolbar-row">
            <label htmlFor={reportId}>Window</label>
            <select id={reportId} value={report?.id ?? ""} onChange={(event) => setChosenReport(event.target.value)}>
              {[...reports].reverse().map((option) => (
                <option key={option.id} value={option.id}>
                  {formatInstant(option.windowEnd)}
                </option>
              ))}
            </select>
            <label htmlFor={featureId}>Feature</label>
            <select id={featureId} value={feature ?? ""} onChange={(event) => setChosenFeature(event.target.value)}>
              {featureNames.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </div>
          {bins && entry ? (
            <BarChart
              title={`${feature}: baseline vs current (share of values per bin)`}
              summary={`PSI ${formatValue(entry.psi)}${entry.drifted ? ", over the threshold" : ""}.`}
              categories={bins.labels}
              categoryLabel="Bin"
              series={binSeries}
              testId="drift-histogram"
            />
          ) : (
            <p className="muted">No histogram for {feature ?? "this feature"} in this window.</p>
          )}
        </>
      )}
    </div>
  );
}
