// Seeded synthetic columns for the drift tests and bench/drift.ts.
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { seededGenerator } from "./random.js";

/** `size` draws of Normal(mean, std) by the Box–Muller transform, the same for the same seed. */
export function normalColumn(size: number, seed: number, mean = 0, std = 1): Float64Array {
  const random = seededGenerator(seed);
  const column = new Float64Array(size);
  for (let i = 0; i < size; i += 2) {
    const radius = Math.sqrt(-2 * Math.log(1 - uniformFloat64(random)));
    const angle = 2 * Math.PI * uniformFloat64(random);
    column[i] = mean + std * radius * Math.cos(angle);
    if (i + 1 < size) column[i + 1] = mean + std * radius * Math.sin(angle);
  }
  return column;
}

/** `size` draws from `categories` with the given weights (uniform when omitted). */
export function categoricalColumn(
  size: number,
  seed: number,
  categories: readonly string[],
  weights?: readonly number[],
): string[] {
  const random = seededGenerator(seed);
  const cumulative: number[] = [];
  let total = 0;
  for (let i = 0; i < categories.length; i++) {
    total += weights?.[i] ?? 1;
    cumulative.push(total);
  }
  return Array.from({ length: size }, () => {
    const draw = uniformFloat64(random) * total;
    const index = cumulative.findIndex((bound) => draw < bound);
    return categories[index === -1 ? categories.length - 1 : index] as string;
  });
}
