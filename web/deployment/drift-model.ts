import type { DriftReportsQuery } from "../gql/graphql";

export type DriftReportView = DriftReportsQuery["driftReports"]["edges"][number]["node"];

/** Per-feature PSI over time for one model version: x in seconds (window ends), one series per feature. */
export interface DriftOverTime {
  x: number[];
  features: { feature: string; psi: (number | null)[] }[];
  /** The data-drift threshold of the newest report (rules can be edited; each report keeps its own). */
  threshold: number | null;
}

/** Reports of one model version, oldest first, skipped ones left out. */
export function reportsOf(reports: readonly DriftReportView[], modelVersionId: string): DriftReportView[] {
  return reports
    .filter((report) => report.modelVersion?.id === modelVersionId && !report.skipped)
    .sort((a, b) => a.windowEnd.localeCompare(b.windowEnd));
}

export function driftOverTime(reports: readonly DriftReportView[]): DriftOverTime {
  const names = [...new Set(reports.flatMap((report) => report.features.map((entry) => entry.feature)))];
  return {
    x: reports.map((report) => Date.parse(report.windowEnd) / 1000),
    features: names.map((feature) => ({
      feature,
      psi: reports.map((report) => report.features.find((entry) => entry.feature === feature)?.psi ?? null),
    })),
    threshold: reports.at(-1)?.dataDriftThreshold ?? null,
  };
}

/** Model versions that have reports, most reports first. */
export function modelVersionsWithReports(reports: readonly DriftReportView[]): { id: string; label: string; count: number }[] {
  const counts = new Map<string, { id: string; label: string; count: number }>();
  for (const report of reports) {
    const version = report.modelVersion;
    if (!version) continue;
    const entry = counts.get(version.id) ?? { id: version.id, label: `${version.model.name} v${version.version}`, count: 0 };
    entry.count += 1;
    counts.set(version.id, entry);
  }
  return [...counts.values()].sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
}

export interface HistogramBins {
  labels: string[];
  /** Shares of the baseline and of the window per bin (0–1): the two have different totals. */
  baseline: number[];
  current: number[];
}

const short = (value: number) => Number(value.toPrecision(3)).toString();

/**
 * A drift histogram as comparable shares. Numeric bins are (−∞, e1), [e1, e2), …, [ek, +∞);
 * categorical ones are the baseline's top categories and then "other".
 */
export function histogramBins(histogram: {
  baseline: readonly number[];
  current: readonly number[];
  categories?: readonly string[] | null;
  edges?: readonly number[] | null;
}): HistogramBins {
  const count = Math.max(histogram.baseline.length, histogram.current.length);
  let labels: string[];
  if (histogram.categories && histogram.categories.length > 0) {
    labels = Array.from({ length: count }, (_, index) => histogram.categories?.[index] ?? "other");
  } else {
    const edges = histogram.edges ?? [];
    labels = Array.from({ length: count }, (_, index) => {
      if (edges.length === 0) return `bin ${index + 1}`;
      if (index === 0) return `< ${short(edges[0] as number)}`;
      if (index >= edges.length) return `≥ ${short(edges[edges.length - 1] as number)}`;
      return `${short(edges[index - 1] as number)}–${short(edges[index] as number)}`;
    });
  }
  const share = (counts: readonly number[]) => {
    const total = counts.reduce((sum, value) => sum + value, 0);
    return Array.from({ length: count }, (_, index) => (total > 0 ? (counts[index] ?? 0) / total : 0));
  };
  return { labels, baseline: share(histogram.baseline), current: share(histogram.current) };
}
