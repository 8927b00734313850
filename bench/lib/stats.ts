import * as hdr from "hdr-histogram-js";

export interface LatencySummary {
  p50: number;
  p99: number;
  mean: number;
  count: number;
}

/** Latency percentiles (milliseconds) of a list of samples, through HdrHistogram (µs resolution). */
export function summarize(samplesMs: number[]): LatencySummary {
  const histogram = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60_000_000,
    numberOfSignificantValueDigits: 3,
  });
  for (const sample of samplesMs) histogram.recordValue(Math.max(1, Math.round(sample * 1_000)));
  const result = {
    p50: histogram.getValueAtPercentile(50) / 1_000,
    p99: histogram.getValueAtPercentile(99) / 1_000,
    mean: histogram.mean / 1_000,
    count: histogram.totalCount,
  };
  histogram.destroy();
  return result;
}

export const fmt = (value: number, digits = 2) => value.toFixed(digits);

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
