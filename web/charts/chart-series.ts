/** One series of a chart: a name, its values (null: no value there) and its colour. */
export interface ChartSeries {
  label: string;
  values: readonly (number | null)[];
  /** CSS custom property holding the colour (themes differ), e.g. --kind-run. */
  colorVar: string;
  /** Dashed line (thresholds, baselines). */
  dashed?: boolean;
}

/** Formats a chart value for tables and labels: up to 4 significant digits, no exponent for usual sizes. */
export function formatValue(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  if (value === 0) return "0";
  const magnitude = Math.abs(value);
  if (magnitude >= 1e6 || magnitude < 1e-4) return value.toExponential(3);
  return Number(value.toPrecision(4)).toLocaleString("en-US", { maximumFractionDigits: 6 });
}

/** The colours charts draw series with, in order, when a series has no kind of its own. */
export const SERIES_COLOR_VARS = ["--chart-1", "--chart-2", "--chart-3", "--chart-4", "--chart-5", "--chart-6"] as const;

export function seriesColorVar(index: number): string {
  return SERIES_COLOR_VARS[index % SERIES_COLOR_VARS.length] as string;
}
