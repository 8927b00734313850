"use client";

import { useMemo } from "react";
import { seriesColorVar } from "../charts/chart-series";
import { LineChart } from "../charts/line-chart";
import { formatValue } from "../charts/chart-series";

export interface MetricSeriesData {
  key: string;
  points: readonly { step: number; value: number }[];
}

/** Series with a curve (two points or more); the rest are single values, listed with the latest metrics. */
export function curvesOf(series: readonly MetricSeriesData[]): MetricSeriesData[] {
  return series.filter((line) => line.points.length >= 2).sort((a, b) => a.key.localeCompare(b.key));
}

/**
 * One small chart per metric key over steps (epochs): losses and scores have different scales, so
 * they are not drawn on one axis.
 */
export function MetricCurves(props: { series: readonly MetricSeriesData[]; live: boolean }) {
  const curves = useMemo(() => curvesOf(props.series), [props.series]);
  if (curves.length === 0) return null;
  return (
    <div className="chart-grid" data-testid="metric-curves">
      {curves.map((line, index) => (
        <MetricCurve key={line.key} line={line} colorVar={seriesColorVar(index)} live={props.live} />
      ))}
    </div>
  );
}

function MetricCurve(props: { line: MetricSeriesData; colorVar: string; live: boolean }) {
  const { line } = props;
  const x = useMemo(() => line.points.map((point) => point.step), [line.points]);
  const series = useMemo(
    () => [{ label: line.key, values: line.points.map((point) => point.value), colorVar: props.colorVar }],
    [line, props.colorVar],
  );
  const last = line.points.at(-1);
  const best = line.points.reduce((min, point) => Math.min(min, point.value), Number.POSITIVE_INFINITY);
  const top = line.points.reduce((max, point) => Math.max(max, point.value), Number.NEGATIVE_INFINITY);
  return (
    <LineChart
      title={`${line.key} per step${props.live ? " (live)" : ""}`}
      summary={`${line.points.length} steps; last ${formatValue(last?.value)} at step ${last?.step}; range ${formatValue(best)} to ${formatValue(top)}.`}
      x={x}
      xLabel="Step"
      series={series}
      testId="metric-curve"
    />
  );
}
