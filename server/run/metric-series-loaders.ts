import DataLoader from "dataloader";
import type { MetricPointRepository, RunMetricPoint } from "./metric-point.repository.js";

/**
 * One DataLoader per (keys, lastPoints) combination asked in a request, each batching the runs
 * of a tick into one statement.
 */
export function metricSeriesLoaders(metricPoints: MetricPointRepository) {
  const loaders = new Map<string, DataLoader<string, RunMetricPoint[]>>();
  return (keys: readonly string[], lastPoints: number): DataLoader<string, RunMetricPoint[]> => {
    const cacheKey = JSON.stringify([[...keys].sort(), lastPoints]);
    let loader = loaders.get(cacheKey);
    if (!loader) {
      loader = new DataLoader(async (runIds) => {
        const points = await metricPoints.seriesOf(runIds, keys, lastPoints);
        return runIds.map((runId) => points.filter((point) => point.runId === runId));
      });
      loaders.set(cacheKey, loader);
    }
    return loader;
  };
}
