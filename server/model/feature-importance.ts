/** Prefix of permutation-importance entries in a model version's metrics, as the training worker writes them. */
export const FEATURE_IMPORTANCE_METRIC_PREFIX = "featureImportance.";

export interface FeatureImportanceRecord {
  feature: string;
  importance: number;
}

/**
 * The permutation importance recorded in a version's metrics (`featureImportance.<column>`), most
 * important first (ties by feature name, so the order is stable); empty when none was recorded.
 */
export function featureImportanceOf(metrics: Readonly<Record<string, number>>): FeatureImportanceRecord[] {
  const entries: FeatureImportanceRecord[] = [];
  for (const [name, importance] of Object.entries(metrics)) {
    if (!name.startsWith(FEATURE_IMPORTANCE_METRIC_PREFIX) || !Number.isFinite(importance)) continue;
    const feature = name.slice(FEATURE_IMPORTANCE_METRIC_PREFIX.length);
    if (feature.length > 0) entries.push({ feature, importance });
  }
  return entries.sort((a, b) => b.importance - a.importance || (a.feature < b.feature ? -1 : a.feature > b.feature ? 1 : 0));
}
