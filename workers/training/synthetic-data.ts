import { SeededRandom } from "./random.js";
import type { TrainingData } from "./types.js";

/** Standard normal draw by the Box–Muller transform. */
function normal(random: SeededRandom): number {
  const u = 1 - random.float(); // (0, 1], so the log is finite
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.float());
}

function featureNames(count: number): string[] {
  return Array.from({ length: count }, (_, f) => `x${f}`);
}

export interface SyntheticClassificationOptions {
  rows: number;
  features: number;
  seed: number;
  /**
   * Rows whose distance to the separating hyperplane is below this (in units of ‖w‖) are redrawn,
   * so the classes are linearly separable with that margin. 0 keeps every row.
   */
  margin?: number;
  /** Standard deviation of Gaussian noise added to the score before thresholding (0: none). */
  labelNoise?: number;
}

/**
 * Binary classification data: features ~ N(0, 1) scaled and shifted per column (so standardization
 * matters), label 1 when a fixed random hyperplane's score (plus optional noise) is positive.
 */
export function syntheticClassification(options: SyntheticClassificationOptions): TrainingData {
  const { rows, features, seed, margin = 0, labelNoise = 0 } = options;
  const random = SeededRandom.fromSeed(seed);
  const weights = Float64Array.from({ length: features }, () => normal(random));
  const scales = Float64Array.from({ length: features }, () => 0.5 + 9.5 * random.float());
  const offsets = Float64Array.from({ length: features }, () => 20 * random.float() - 10);
  const norm = Math.sqrt(weights.reduce((sum, w) => sum + w * w, 0));
  const matrix = new Float64Array(rows * features);
  const target = new Float64Array(rows);
  const z = new Float64Array(features);
  for (let r = 0; r < rows; r++) {
    let score = 0;
    do {
      score = 0;
      for (let f = 0; f < features; f++) {
        z[f] = normal(random);
        score += weights[f]! * z[f]!;
      }
    } while (Math.abs(score) < margin * norm);
    for (let f = 0; f < features; f++) matrix[r * features + f] = z[f]! * scales[f]! + offsets[f]!;
    target[r] = score + labelNoise * normal(random) > 0 ? 1 : 0;
  }
  return { featureNames: featureNames(features), features: matrix, target, targetName: "label" };
}

export interface SyntheticRegressionOptions {
  rows: number;
  features: number;
  seed: number;
  noise?: number;
}

/** Regression data y = intercept + Σ coefficient·x + noise, with the true coefficients returned. */
export function syntheticRegression(options: SyntheticRegressionOptions): {
  data: TrainingData;
  coefficients: Float64Array;
  intercept: number;
} {
  const { rows, features, seed, noise = 0 } = options;
  const random = SeededRandom.fromSeed(seed);
  const coefficients = Float64Array.from({ length: features }, () => 4 * random.float() - 2);
  const intercept = 3;
  const matrix = new Float64Array(rows * features);
  const target = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let y = intercept;
    for (let f = 0; f < features; f++) {
      const x = 2 * normal(random) + f;
      matrix[r * features + f] = x;
      y += coefficients[f]! * x;
    }
    target[r] = y + noise * normal(random);
  }
  return { data: { featureNames: featureNames(features), features: matrix, target, targetName: "y" }, coefficients, intercept };
}
