import { decodeKeysetCursor, encodeKeysetCursor } from "../lib/keyset-cursor.js";
import { type Page, type PageRequest, type SortDirection, pageSize } from "../lib/paginate.js";

/** Like `PageQuery`, with an ordering that puts rows without a value last. */
export interface NullsLastPageQuery {
  afterWhere: Record<string, unknown> | undefined;
  orderBy: Array<Record<string, unknown>>;
  take: number;
}

/**
 * Keyset pagination over a nullable timestamp column plus `id`, rows without a timestamp last in
 * either direction. `paginate` needs a value in every row; a commit's date may be unknown (it is
 * optional on registration), and such commits must still be listed exactly once.
 */
export async function paginateNullsLast<Row extends { id: string }>(
  request: PageRequest,
  field: keyof Row & string,
  direction: SortDirection,
  fetch: (query: NullsLastPageQuery) => Promise<Row[]>,
): Promise<Page<Row>> {
  const size = pageSize(request.first);
  let afterWhere: Record<string, unknown> | undefined;
  if (request.after) {
    const cursor = decodeKeysetCursor(request.after, field, { allowNullValue: true });
    const op = direction === "asc" ? "gt" : "lt";
    if (cursor.value === null) {
      afterWhere = { [field]: null, id: { [op]: cursor.id } };
    } else {
      const value = new Date(cursor.value as string);
      afterWhere = { OR: [{ [field]: { [op]: value } }, { [field]: value, id: { [op]: cursor.id } }, { [field]: null }] };
    }
  }
  const orderBy = [{ [field]: { sort: direction, nulls: "last" } }, { id: direction }];
  const rows = size === 0 ? [] : await fetch({ afterWhere, orderBy, take: size + 1 });
  return {
    rows: rows.slice(0, size),
    hasNextPage: rows.length > size,
    cursorOf(row) {
      const raw = row[field] as unknown;
      const value = raw instanceof Date ? raw.toISOString() : null;
      return encodeKeysetCursor({ field, value, isDate: true, id: row.id });
    },
  };
}
