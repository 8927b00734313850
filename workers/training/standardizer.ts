import type { Standardizer } from "./types.js";

/**
 * Fits per-column mean and population standard deviation on the given rows of a row-major
 * matrix (two passes, for accuracy). A constant column gets scale 1 so it maps to 0.
 */
export function fitStandardizer(features: Float64Array, columnCount: number, rows: Uint32Array): Standardizer {
  const mean = new Float64Array(columnCount);
  const scale = new Float64Array(columnCount);
  const count = rows.length;
  for (const row of rows) {
    const base = row * columnCount;
    for (let c = 0; c < columnCount; c++) mean[c]! += features[base + c]!;
  }
  for (let c = 0; c < columnCount; c++) mean[c]! /= count;
  for (const row of rows) {
    const base = row * columnCount;
    for (let c = 0; c < columnCount; c++) {
      const d = features[base + c]! - mean[c]!;
      scale[c]! += d * d;
    }
  }
  for (let c = 0; c < columnCount; c++) {
    const std = Math.sqrt(scale[c]! / count);
    scale[c] = std > 0 && Number.isFinite(std) ? std : 1;
  }
  return { mean, scale };
}

/**
 * Standardizes the given rows (all rows when omitted) into a new row-major matrix, in the given row
 * order. Same arithmetic as the ONNX graph: (x − mean) / scale.
 */
export function standardizeRows(
  standardizer: Standardizer,
  features: Float64Array,
  columnCount: number,
  rows?: Uint32Array,
): Float64Array {
  const { mean, scale } = standardizer;
  const rowCount = rows ? rows.length : features.length / columnCount;
  const out = new Float64Array(rowCount * columnCount);
  for (let r = 0; r < rowCount; r++) {
    const source = (rows ? rows[r]! : r) * columnCount;
    const target = r * columnCount;
    for (let c = 0; c < columnCount; c++) out[target + c] = (features[source + c]! - mean[c]!) / scale[c]!;
  }
  return out;
}
