"use client";

import { useEffect, useRef, useState } from "react";
import { ChartFigure } from "./chart-figure";
import { type ChartSeries, formatValue } from "./chart-series";

export interface BarChartProps {
  title: string;
  summary: string;
  /** One label per bar position (features, histogram bins, model versions). */
  categories: readonly string[];
  categoryLabel: string;
  /** One or more series, drawn side by side per category (baseline and current). */
  series: readonly ChartSeries[];
  testId?: string;
}

const HEIGHT = 230;
const MARGIN = { top: 10, right: 10, bottom: 58, left: 52 };

/** The element's width in CSS pixels, followed as it resizes (drawn 1:1, so text keeps its size). */
function useWidth(fallback: number) {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setWidth(Math.max(element.clientWidth, 240)));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return { ref, width };
}

/** Round tick values covering [min, max]: 1, 2 or 5 times a power of ten apart. */
function ticks(min: number, max: number, count = 4): number[] {
  const span = max - min || 1;
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= raw) ?? raw;
  const values: number[] = [];
  for (let value = Math.ceil(min / step) * step; value <= max + step * 1e-9; value += step)
    values.push(Number(value.toPrecision(12)));
  return values;
}

/**
 * Bars per category — feature importance, histograms (baseline vs current), figures per model
 * version — as SVG: categorical data needs no canvas, and SVG follows the theme's CSS colours.
 */
export function BarChart(props: BarChartProps) {
  const { categories, series } = props;
  const { ref, width } = useWidth(640);
  const values = series.flatMap((line) =>
    line.values.filter((value): value is number => value !== null && Number.isFinite(value)),
  );
  const low = Math.min(0, ...values);
  const high = Math.max(0, ...values) || 1;
  const scale = ticks(low, high);
  const top = Math.max(high, scale.at(-1) ?? high);
  const bottom = Math.min(low, scale[0] ?? low);
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const y = (value: number) => MARGIN.top + ((top - value) / (top - bottom)) * plotHeight;
  const band = plotWidth / Math.max(categories.length, 1);
  const barWidth = Math.min((band * 0.8) / Math.max(series.length, 1), 48);
  const every = Math.max(1, Math.ceil((categories.length * 56) / plotWidth));
  const rotate = categories.some((label) => label.length * 6.5 > band * every);

  return (
    <ChartFigure
      title={props.title}
      summary={props.summary}
      xLabel={props.categoryLabel}
      rows={categories}
      series={series}
      testId={props.testId}
    >
      {series.length > 1 ? (
        <ul className="chart-legend" aria-hidden="true">
          {series.map((line) => (
            <li key={line.label}>
              <span className="swatch" style={{ background: `var(${line.colorVar})` }} /> {line.label}
            </li>
          ))}
        </ul>
      ) : null}
      <div ref={ref}>
        <svg
          className="bar-chart"
          width={width}
          height={HEIGHT}
          viewBox={`0 0 ${width} ${HEIGHT}`}
          aria-hidden="true"
          focusable="false"
        >
          {scale.map((tick) => (
            <g key={tick}>
              <line x1={MARGIN.left} x2={width - MARGIN.right} y1={y(tick)} y2={y(tick)} className="grid-line" />
              <text x={MARGIN.left - 6} y={y(tick) + 4} textAnchor="end" className="tick-label">
                {formatValue(tick)}
              </text>
            </g>
          ))}
          {categories.map((category, index) => {
            const center = MARGIN.left + band * (index + 0.5);
            const groupStart = center - (barWidth * series.length) / 2;
            return (
              <g key={category}>
                {series.map((line, seriesIndex) => {
                  const value = line.values[index];
                  if (value === null || value === undefined || !Number.isFinite(value)) return null;
                  const y0 = y(Math.max(0, value));
                  const height = Math.max(Math.abs(y(value) - y(0)), value === 0 ? 0 : 1);
                  return (
                    <rect
                      key={line.label}
                      x={groupStart + seriesIndex * barWidth}
                      y={y0}
                      width={Math.max(barWidth - 1, 1)}
                      height={height}
                      style={{ fill: `var(${line.colorVar})`, opacity: series.length > 1 && seriesIndex === 0 ? 0.55 : 0.9 }}
                    >
                      <title>{`${category} · ${line.label}: ${formatValue(value)}`}</title>
                    </rect>
                  );
                })}
                {index % every === 0 ? (
                  <text
                    x={center}
                    y={HEIGHT - MARGIN.bottom + 14}
                    textAnchor={rotate ? "end" : "middle"}
                    transform={rotate ? `rotate(-30 ${center} ${HEIGHT - MARGIN.bottom + 14})` : undefined}
                    className="tick-label"
                  >
                    {category.length > 18 ? `${category.slice(0, 17)}…` : category}
                  </text>
                ) : null}
              </g>
            );
          })}
          <line x1={MARGIN.left} x2={width - MARGIN.right} y1={y(0)} y2={y(0)} className="axis-line" />
        </svg>
      </div>
    </ChartFigure>
  );
}
