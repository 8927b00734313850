import { InputInvalidError } from "../errors/common-errors.js";
import { decodeKeysetCursor, encodeKeysetCursor } from "./keyset-cursor.js";

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export type SortDirection = "asc" | "desc";

export interface PageRequest {
  first?: number | null | undefined;
  after?: string | null | undefined;
}

export interface PageQuery {
  /** Prisma-shaped condition selecting rows after the cursor (undefined on the first page). */
  afterWhere: Record<string, unknown> | undefined;
  orderBy: Array<Record<string, SortDirection>>;
  take: number;
}

export interface Page<Row> {
  rows: Row[];
  hasNextPage: boolean;
  cursorOf(row: Row): string;
}

export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw new InputInvalidError("first", `must be between 0 and ${MAX_PAGE_SIZE}; got ${first}.`);
  }
  return first;
}

/**
 * Keyset pagination over one ordering column plus `id`: stable under inserts, one query per page.
 * `fetch` runs the query (it asks for one row more than the page to learn `hasNextPage`).
 */
export async function paginate<Row extends { id: string | number }>(
  request: PageRequest,
  field: keyof Row & string,
  direction: SortDirection,
  fetch: (query: PageQuery) => Promise<Row[]>,
  /** Converts a cursor's id back to the column's type (BigInt for audit events). */
  keyOf: (id: string) => unknown = (id) => id,
): Promise<Page<Row>> {
  const size = pageSize(request.first);
  let afterWhere: Record<string, unknown> | undefined;
  if (request.after) {
    const cursor = decodeKeysetCursor(request.after, field);
    const value = cursor.isDate ? new Date(cursor.value as string) : cursor.value;
    const op = direction === "asc" ? "gt" : "lt";
    const id = keyOf(cursor.id);
    afterWhere =
      field === "id" ? { id: { [op]: id } } : { OR: [{ [field]: { [op]: value } }, { [field]: value, id: { [op]: id } }] };
  }
  const orderBy: Array<Record<string, SortDirection>> =
    field === "id" ? [{ id: direction }] : [{ [field]: direction }, { id: direction }];
  const rows = size === 0 ? [] : await fetch({ afterWhere, orderBy, take: size + 1 });
  return {
    rows: rows.slice(0, size),
    hasNextPage: rows.length > size,
    cursorOf(row) {
      const raw = row[field] as unknown;
      const isDate = raw instanceof Date;
      const value = isDate ? raw.toISOString() : (raw as string | number);
      return encodeKeysetCursor({ field, value, isDate, id: String(row.id) });
    },
  };
}

/** Pages a list already in memory (children loaded in one batch by a DataLoader). */
export function paginateInMemory<Row extends { id: string | number }>(rows: Row[], request: PageRequest): Page<Row> {
  const size = pageSize(request.first);
  let start = 0;
  if (request.after) {
    const cursor = decodeKeysetCursor(request.after, "position");
    start = Number(cursor.value) + 1;
  }
  const slice = rows.slice(start, start + size);
  return {
    rows: slice,
    hasNextPage: start + size < rows.length,
    cursorOf(row) {
      return encodeKeysetCursor({ field: "position", value: rows.indexOf(row), isDate: false, id: String(row.id) });
    },
  };
}
