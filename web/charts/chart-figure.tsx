"use client";

import { type ReactNode, useId } from "react";
import { type ChartSeries, formatValue } from "./chart-series";

/**
 * A chart's frame: a caption naming it, the drawing (hidden from screen readers), a one-sentence
 * summary, and the same numbers as a table on demand — the accessible form of every chart.
 */
export function ChartFigure(props: {
  title: string;
  summary: string;
  /** Heading of the row labels column, e.g. "Step". */
  xLabel: string;
  rows: readonly (string | number)[];
  series: readonly ChartSeries[];
  children: ReactNode;
  testId?: string;
}) {
  const captionId = useId();
  return (
    <figure className="chart" aria-labelledby={captionId} data-testid={props.testId ?? "chart"}>
      <figcaption id={captionId}>{props.title}</figcaption>
      {props.children}
      <p className="chart-summary">{props.summary}</p>
      <details>
        <summary>Show the numbers</summary>
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">{props.title}</caption>
            <thead>
              <tr>
                <th scope="col">{props.xLabel}</th>
                {props.series.map((series) => (
                  <th scope="col" key={series.label}>
                    {series.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {props.rows.map((row, index) => (
                <tr key={String(row)}>
                  <th scope="row">{row}</th>
                  {props.series.map((series) => (
                    <td key={series.label}>{formatValue(series.values[index])}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
