import { InputInvalidError } from "../errors/common-errors.js";
import { type Page, type PageRequest, type SortDirection, pageSize } from "../lib/paginate.js";

/** Like `PageQuery`, with an ordering that puts rows without a value last. */
export interface NullsLastPageQuery {
  afterWhere: Record<string, unknown> | undefined;
  orderBy: Array<Record<string, unknown>>;
  take: number;
}

interface Cursor {
  field: string;
  /** ISO timestamp, or null for a row without one. */
  value: string | null;
  id: string;
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor), "utf8").toString("base64url");
}

function decodeCursor(text: string, field: string): Cursor {
  try {
    const parsed = JSON.parse(Buffer.from(text, "base64url").toString("utf8")) as Partial<Cursor>;
    const valueOk = parsed.value === null || (typeof parsed.value === "string" && !Number.isNaN(Date.parse(parsed.value)));
    if (parsed.field === field && typeof parsed.id === "string" && valueOk) {
      return { field, value: parsed.value ?? null, id: parsed.id };
    }
  } catch {
    // fall through to the error below
  }
  throw new InputInvalidError("after", "is not a cursor of this list with this ordering.");
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
    const cursor = decodeCursor(request.after, field);
    const op = direction === "asc" ? "gt" : "lt";
    if (cursor.value === null) {
      afterWhere = { [field]: null, id: { [op]: cursor.id } };
    } else {
      const value = new Date(cursor.value);
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
      return encodeCursor({ field, value, id: row.id });
    },
  };
}
