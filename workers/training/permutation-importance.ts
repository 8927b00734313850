import type { SeededRandom } from "./random.js";
import type { FeatureImportance } from "./types.js";

export interface PermutationImportanceInput {
  featureNames: readonly string[];
  rowCount: number;
  /** The unshuffled values of feature f, one per row. */
  column: (feature: number) => Float64Array;
  /** Score (higher is better: accuracy, R²) with feature f's column replaced by `values`; null: unchanged. */
  score: (feature: number, values: Float64Array | null) => number;
  repeats: number;
  random: SeededRandom;
  /** Awaited between features, so a long computation yields to the event loop (and can abort). */
  betweenFeatures?: () => Promise<void>;
}

/**
 * Permutation feature importance (Breiman 2001; scikit-learn's permutation_importance): for each
 * feature, shuffle its column `repeats` times with a seeded permutation and record how much the
 * score drops from the unshuffled baseline.
 */
export async function permutationImportance(input: PermutationImportanceInput): Promise<FeatureImportance[]> {
  const { rowCount, featureNames, score, repeats, random } = input;
  const baseline = score(0, null);
  const shuffled = new Float64Array(rowCount);
  const result: FeatureImportance[] = [];
  for (let f = 0; f < featureNames.length; f++) {
    const column = input.column(f);
    const drops = new Float64Array(repeats);
    for (let k = 0; k < repeats; k++) {
      const order = random.permutation(rowCount);
      for (let r = 0; r < rowCount; r++) shuffled[r] = column[order[r]!]!;
      drops[k] = baseline - score(f, shuffled);
    }
    let mean = 0;
    for (const drop of drops) mean += drop;
    mean /= repeats;
    let variance = 0;
    for (const drop of drops) variance += (drop - mean) ** 2;
    result.push({ feature: featureNames[f]!, importance: mean, std: Math.sqrt(variance / repeats) });
    await input.betweenFeatures?.();
  }
  return result;
}
