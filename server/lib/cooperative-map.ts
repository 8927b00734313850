/** How many items `cooperativeMap` handles between two turns of the event loop. */
const DEFAULT_SLICE = 64;

/**
 * `items.map(fn)` that gives the event loop back every `slice` items. A long CPU-bound loop over
 * a big request (validating 1,000 events, canonicalizing 2,500 audit events) then does not stall
 * other work waiting on I/O, such as the statements of a running transaction.
 */
export async function cooperativeMap<T, R>(
  items: readonly T[],
  fn: (item: T, index: number) => R,
  slice = DEFAULT_SLICE,
): Promise<R[]> {
  const results: R[] = [];
  for (const [index, item] of items.entries()) {
    if (index > 0 && index % slice === 0) await new Promise((resolve) => setImmediate(resolve));
    results.push(fn(item, index));
  }
  return results;
}
