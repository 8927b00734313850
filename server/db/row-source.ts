/**
 * Many rows as one set-returning source for `INSERT … SELECT` and `UPDATE … FROM`, with a bind
 * parameter per column whatever the number of rows: narrow columns as typed arrays (`unnest`),
 * JSON columns as one JSON array text each (`json[b]_array_elements`), joined on position.
 *
 * Measured on OpenLineage batches against multi-row `VALUES` (a parameter per value): 2,500 audit
 * events with two JSON snapshots each insert in 70–90 ms instead of 115–190 ms, and 1,000 raw events
 * of 2.7 KB in 60–100 ms instead of 75–145 ms, with a third of the client's CPU. Arrays of JSON text
 * would be worse than both: the driver escapes each document into an array literal that Postgres
 * parses back.
 */

export interface RowColumn {
  name: string;
  /** A Postgres type. `json` and `jsonb` columns take JSON text (or null for SQL NULL). */
  type: string;
}

export interface RowSource {
  /** `r.a, r.b, …`: the columns in the given order, each named as given. */
  select: string;
  /** `unnest(…) WITH ORDINALITY AS r(…) JOIN …`: one row per given row. */
  from: string;
  /** The position column (1-based), to keep the given order (`ORDER BY r.row_position`). */
  position: string;
  params: unknown[];
}

const isJson = (type: string) => type === "json" || type === "jsonb";

/** `rows[i][j]` is the value of `columns[j]`; parameters are numbered from `firstParameter`. */
export function rowSource(
  columns: readonly RowColumn[],
  rows: ReadonlyArray<readonly unknown[]>,
  alias = "r",
  firstParameter = 1,
): RowSource {
  const params: unknown[] = [];
  const parameter = (value: unknown) => {
    params.push(value);
    return `$${firstParameter + params.length - 1}`;
  };
  const narrow = columns.flatMap((column, index) => (isJson(column.type) ? [] : [{ column, index }]));
  const unnest = narrow.map(({ column, index }) => `${parameter(rows.map((row) => row[index] ?? null))}::${column.type}[]`);
  let from = `unnest(${unnest.join(", ")}) WITH ORDINALITY AS ${alias}(${[...narrow.map(({ column }) => column.name), "row_position"].join(", ")})`;
  const select = columns.map((column, index) => {
    if (!isJson(column.type)) return `${alias}.${column.name}`;
    const documents = `${alias}_${column.name}`;
    // A JSON null element stands for SQL NULL (a document that is JSON `null` is never written).
    const array = `[${rows.map((row) => (row[index] as string | null | undefined) ?? "null").join(",")}]`;
    from += ` JOIN ${column.type}_array_elements(${parameter(array)}::${column.type}) WITH ORDINALITY AS ${documents}(value, row_position)
      ON ${documents}.row_position = ${alias}.row_position`;
    return `CASE WHEN ${column.type}_typeof(${documents}.value) = 'null' THEN NULL ELSE ${documents}.value END AS ${column.name}`;
  });
  if (narrow.length === 0) throw new Error("rowSource needs at least one column that is not JSON");
  return { select: select.join(", "), from, position: `${alias}.row_position`, params };
}
