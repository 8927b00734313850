import DataLoader from "dataloader";

/**
 * A DataLoader for one row per key: `fetch` gets all keys of a tick in one call (one SQL
 * statement) and results are put back in key order, `null` where a row is missing.
 */
export function byKeyLoader<Row>(fetch: (keys: readonly string[]) => Promise<Row[]>, keyOf: (row: Row) => string) {
  return new DataLoader<string, Row | null>(async (keys) => {
    const rows = await fetch(keys);
    const byKey = new Map(rows.map((row) => [keyOf(row), row]));
    return keys.map((key) => byKey.get(key) ?? null);
  });
}

/** A DataLoader for the children of each key (e.g. the versions of each model), one statement per tick. */
export function childrenLoader<Row>(fetch: (keys: readonly string[]) => Promise<Row[]>, parentOf: (row: Row) => string) {
  return new DataLoader<string, Row[]>(async (keys) => {
    const rows = await fetch(keys);
    const byParent = new Map<string, Row[]>();
    for (const row of rows) {
      const parent = parentOf(row);
      const list = byParent.get(parent);
      if (list) list.push(row);
      else byParent.set(parent, [row]);
    }
    return keys.map((key) => byParent.get(key) ?? []);
  });
}
