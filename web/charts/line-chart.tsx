"use client";

import { useCallback, useMemo } from "react";
import type uPlot from "uplot";
import { ChartFigure } from "./chart-figure";
import type { ChartSeries } from "./chart-series";
import { UPlotChart } from "./uplot-chart";

export interface LineChartProps {
  title: string;
  summary: string;
  /** x values: steps, or times in seconds since the epoch when `time` is set. */
  x: readonly number[];
  xLabel: string;
  time?: boolean;
  series: readonly ChartSeries[];
  /** Horizontal lines (limits, thresholds), drawn dashed. */
  thresholds?: readonly { label: string; value: number; colorVar: string }[];
  height?: number;
  testId?: string;
}

/** A fixed x range of ±pad around a lone point; undefined (uPlot's own range) otherwise. */
function singlePointRange(x: readonly number[], pad: number): [number, number] | undefined {
  const only = x.length === 1 ? x[0] : undefined;
  return only === undefined ? undefined : [only - pad, only + pad];
}

/** Lines over steps or time (metric curves, drift over time, latency over time), with a legend. */
export function LineChart(props: LineChartProps) {
  const { x, series, thresholds = [], time = false, xLabel } = props;
  const all = useMemo(
    () => [
      ...series,
      ...thresholds.map((line) => ({
        label: line.label,
        values: x.map(() => line.value),
        colorVar: line.colorVar,
        dashed: true,
      })),
    ],
    [series, thresholds, x],
  );
  const data = useMemo<uPlot.AlignedData>(() => [[...x], ...all.map((line) => [...line.values])], [x, all]);
  const buildOptions = useCallback(
    (colors: (cssVar: string) => string): uPlot.Options => ({
      width: 0,
      height: 0,
      // One point alone would make uPlot span years (time) or nothing: give it a window around it.
      scales: { x: { time, range: singlePointRange(x, time ? 600 : 1) } },
      legend: { show: all.length > 1 },
      axes: [
        { stroke: colors("--fg-muted"), grid: { stroke: colors("--border"), width: 1 }, label: xLabel },
        { stroke: colors("--fg-muted"), grid: { stroke: colors("--border"), width: 1 } },
      ],
      series: [
        { label: xLabel },
        ...all.map((line) => ({
          label: line.label,
          stroke: colors(line.colorVar),
          width: 2,
          dash: line.dashed ? [6, 4] : undefined,
          spanGaps: true,
          points: { show: x.length <= 60 && !line.dashed },
        })),
      ],
    }),
    [all, time, xLabel, x],
  );
  const rows = useMemo(
    () => (time ? x.map((value) => new Date(value * 1000).toISOString().replace("T", " ").slice(0, 19)) : [...x]),
    [x, time],
  );
  return (
    <ChartFigure title={props.title} summary={props.summary} xLabel={xLabel} rows={rows} series={all} testId={props.testId}>
      <UPlotChart buildOptions={buildOptions} data={data} height={props.height ?? 220} />
    </ChartFigure>
  );
}
