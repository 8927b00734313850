"use client";

import { useId, useMemo } from "react";
import { BarChart } from "../charts/bar-chart";
import { formatValue } from "../charts/chart-series";
import { LineChart } from "../charts/line-chart";
import type { DeploymentPageQuery } from "../gql/graphql";
import type { DriftReportView } from "./drift-model";

type DeploymentNode = Extract<NonNullable<DeploymentPageQuery["node"]>, { __typename: "Deployment" }>;

export const SERVING_WINDOWS = [
  { seconds: 300, label: "last 5 minutes" },
  { seconds: 3600, label: "last hour" },
  { seconds: 86_400, label: "last day" },
] as const;

/**
 * Latency and errors: per model version over the chosen window (servingStats, live), and over time
 * from the serving figures each monitoring window recorded.
 */
export function ServingCharts(props: {
  deployment: DeploymentNode;
  reports: readonly DriftReportView[];
  windowSeconds: number;
  onWindowChange: (seconds: number) => void;
}) {
  const windowId = useId();
  const stats = props.deployment.servingStats;
  const categories = useMemo(
    () =>
      stats.map((entry) =>
        entry.modelVersion ? `${entry.modelVersion.model.name} v${entry.modelVersion.version}` : "removed version",
      ),
    [stats],
  );
  const latencySeries = useMemo(
    () => [
      { label: "p50 ms", values: stats.map((entry) => entry.p50Ms), colorVar: "--chart-1" },
      { label: "p99 ms", values: stats.map((entry) => entry.p99Ms), colorVar: "--chart-2" },
    ],
    [stats],
  );
  const history = useMemo(
    () => [...props.reports].filter((report) => report.serving).sort((a, b) => a.windowEnd.localeCompare(b.windowEnd)),
    [props.reports],
  );
  const historyX = useMemo(() => history.map((report) => Date.parse(report.windowEnd) / 1000), [history]);
  const historyLatency = useMemo(
    () => [{ label: "p99 ms", values: history.map((report) => report.serving?.p99Ms ?? null), colorVar: "--chart-2" }],
    [history],
  );
  const historyErrors = useMemo(
    () => [
      {
        label: "error rate %",
        values: history.map((report) => (report.serving ? report.serving.errorRate * 100 : null)),
        colorVar: "--error-fg",
      },
    ],
    [history],
  );
  const latencyRule = props.deployment.alertRules.find((rule) => rule.kind === "LATENCY" && rule.enabled);
  const errorRule = props.deployment.alertRules.find((rule) => rule.kind === "ERROR_RATE" && rule.enabled);
  const latencyLimit = useMemo(
    () => (latencyRule ? [{ label: "p99 limit", value: latencyRule.threshold, colorVar: "--error-fg" }] : []),
    [latencyRule],
  );
  const errorLimit = useMemo(
    () => (errorRule ? [{ label: "limit", value: errorRule.threshold * 100, colorVar: "--fg-muted" }] : []),
    [errorRule],
  );
  const total = stats.reduce((sum, entry) => sum + entry.requests, 0);
  const errors = stats.reduce((sum, entry) => sum + entry.errors, 0);

  return (
    <div data-testid="serving-charts">
      <div className="toolbar-row">
        <label htmlFor={windowId}>Window</label>
        <select id={windowId} value={props.windowSeconds} onChange={(event) => props.onWindowChange(Number(event.target.value))}>
          {SERVING_WINDOWS.map((option) => (
            <option key={option.seconds} value={option.seconds}>
              {option.label}
            </option>
          ))}
        </select>
        <span>
          {total.toLocaleString()} requests, {errors.toLocaleString()} errors
          {total > 0 ? ` (${formatValue((errors / total) * 100)} %)` : ""}
        </span>
      </div>
      <div className="chart-grid">
        {stats.length === 0 ? (
          <p className="muted">No request in this window.</p>
        ) : (
          <BarChart
            title="Latency per model version"
            summary={stats
              .map(
                (entry, index) =>
                  `${categories[index]}: p50 ${formatValue(entry.p50Ms)} ms, p99 ${formatValue(entry.p99Ms)} ms, errors ${formatValue(entry.errorRate * 100)} %`,
              )
              .join("; ")}
            categories={categories}
            categoryLabel="Model version"
            series={latencySeries}
            testId="latency-per-version"
          />
        )}
        {history.length < 2 ? (
          <p className="muted">Latency and errors over time appear after two monitoring windows.</p>
        ) : (
          <>
            <LineChart
              title="p99 latency per monitoring window"
              summary={`${history.length} windows.`}
              x={historyX}
              time
              xLabel="Window end"
              series={historyLatency}
              thresholds={latencyLimit}
            />
            <LineChart
              title="Error rate per monitoring window"
              summary={`${history.length} windows.`}
              x={historyX}
              time
              xLabel="Window end"
              series={historyErrors}
              thresholds={errorLimit}
            />
          </>
        )}
      </div>
    </div>
  );
}
