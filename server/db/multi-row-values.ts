/**
 * Multi-row `VALUES` lists with one bind parameter per value. For wide text and JSON columns this
 * is several times faster than `unnest($1::text[], …)`: an array parameter is escaped into one
 * array literal by the driver and parsed back by Postgres, which dominates for kilobytes of JSON
 * per row (measured on OpenLineage events: 1,000 × 2.5 KB rows, 200 ms with unnest, 50–90 ms here).
 */

/** Postgres allows 65,535 bind parameters per statement; stay well below. */
const MAX_PARAMETERS = 30_000;

export interface ValuesChunk {
  /** `($1::uuid, $2::text), ($3::uuid, $4::text)`: one tuple per row, each value cast as given. */
  values: string;
  params: unknown[];
}

/** The rows as VALUES lists of at most ~30,000 parameters each, in order. */
export function multiRowValues(casts: readonly string[], rows: ReadonlyArray<readonly unknown[]>): ValuesChunk[] {
  const rowsPerChunk = Math.max(1, Math.floor(MAX_PARAMETERS / casts.length));
  const chunks: ValuesChunk[] = [];
  for (let start = 0; start < rows.length; start += rowsPerChunk) {
    const params: unknown[] = [];
    const tuples = rows.slice(start, start + rowsPerChunk).map((row) => {
      const placeholders = casts.map((cast, column) => {
        params.push(row[column] ?? null);
        return `$${params.length}::${cast}`;
      });
      return `(${placeholders.join(", ")})`;
    });
    chunks.push({ values: tuples.join(", "), params });
  }
  return chunks;
}
