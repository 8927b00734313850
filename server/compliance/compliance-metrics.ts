// Metrics as a compliance report states them: final values split into training/validation/test,
// and per-step curves reduced to a few figures and an evenly spaced sample.

/** Which data a metric was measured on, read from its key's prefix (`val_loss`, `test.accuracy`…). */
export type MetricSplit = "TRAINING" | "VALIDATION" | "TEST";

const VALIDATION_KEY = /^(val|valid|validation|eval|holdout)([_.\-/]|$)/i;
const TEST_KEY = /^test([_.\-/]|$)/i;

export function metricSplitOf(key: string): MetricSplit {
  if (VALIDATION_KEY.test(key)) return "VALIDATION";
  if (TEST_KEY.test(key)) return "TEST";
  return "TRAINING";
}

export interface MetricCurvePoint {
  step: number;
  value: number;
}

export interface MetricCurveSummary {
  key: string;
  split: MetricSplit;
  /** Points read (the newest `MAX_CURVE_POINTS` when the run logged more; see `truncated`). */
  points: number;
  truncated: boolean;
  firstStep: number;
  lastStep: number;
  first: number;
  last: number;
  min: number;
  /** Step of the first point with the minimum. */
  minStep: number;
  max: number;
  maxStep: number;
  /** Up to `CURVE_SAMPLE_SIZE` points evenly spaced over the curve, first and last included. */
  sample: MetricCurvePoint[];
}

/** Points read per run and key. */
export const MAX_CURVE_POINTS = 10_000;
export const CURVE_SAMPLE_SIZE = 20;

/** Summaries of each key's curve; `points` must be in step order per key. */
export function summarizeCurves(points: ReadonlyArray<{ key: string; step: number; value: number }>): MetricCurveSummary[] {
  const byKey = new Map<string, MetricCurvePoint[]>();
  for (const point of points) {
    const curve = byKey.get(point.key) ?? [];
    curve.push({ step: point.step, value: point.value });
    byKey.set(point.key, curve);
  }
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, curve]) => summarizeCurve(key, curve));
}

function summarizeCurve(key: string, curve: MetricCurvePoint[]): MetricCurveSummary {
  const first = curve[0]!;
  const last = curve[curve.length - 1]!;
  let min = first;
  let max = first;
  for (const point of curve) {
    if (point.value < min.value) min = point;
    if (point.value > max.value) max = point;
  }
  return {
    key,
    split: metricSplitOf(key),
    points: curve.length,
    truncated: curve.length >= MAX_CURVE_POINTS,
    firstStep: first.step,
    lastStep: last.step,
    first: first.value,
    last: last.value,
    min: min.value,
    minStep: min.step,
    max: max.value,
    maxStep: max.step,
    sample: evenlySpaced(curve, CURVE_SAMPLE_SIZE),
  };
}

function evenlySpaced<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items];
  const picked: T[] = [];
  for (let index = 0; index < count; index += 1) {
    picked.push(items[Math.round((index * (items.length - 1)) / (count - 1))]!);
  }
  return picked;
}
