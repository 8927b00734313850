import { TrainingDataError } from "./errors.js";
import type { SeededRandom } from "./random.js";

export interface RowSplit {
  /** Row indices, ascending. */
  train: Uint32Array;
  validation: Uint32Array;
}

/**
 * Seeded shuffled train/validation split. With `strata` (a class index per row) every class is
 * split on its own: round(count × fraction) of its rows go to validation, keeping at least one row
 * of each class in training, so class proportions match in both parts.
 */
export function splitRows(rowCount: number, validationFraction: number, random: SeededRandom, strata?: Int32Array): RowSplit {
  const isValidation = new Uint8Array(rowCount);
  if (strata) {
    const groups = new Map<number, number[]>();
    for (let row = 0; row < rowCount; row++) {
      const key = strata[row]!;
      const group = groups.get(key);
      if (group) group.push(row);
      else groups.set(key, [row]);
    }
    for (const key of [...groups.keys()].sort((a, b) => a - b)) {
      const rows = Uint32Array.from(groups.get(key)!);
      random.shuffle(rows);
      const take = Math.min(Math.round(rows.length * validationFraction), rows.length - 1);
      for (let i = 0; i < take; i++) isValidation[rows[i]!] = 1;
    }
  } else {
    const order = random.permutation(rowCount);
    const take = Math.round(rowCount * validationFraction);
    for (let i = 0; i < take; i++) isValidation[order[i]!] = 1;
  }
  let validationCount = 0;
  for (let row = 0; row < rowCount; row++) validationCount += isValidation[row]!;
  const trainCount = rowCount - validationCount;
  if (validationCount === 0 || trainCount === 0) {
    throw new TrainingDataError(
      `Too few rows (${rowCount}) to hold out a validation share of ${validationFraction}: both the training and the validation part need at least one row.`,
    );
  }
  const train = new Uint32Array(trainCount);
  const validation = new Uint32Array(validationCount);
  let t = 0;
  let v = 0;
  for (let row = 0; row < rowCount; row++) {
    if (isValidation[row]) validation[v++] = row;
    else train[t++] = row;
  }
  return { train, validation };
}
