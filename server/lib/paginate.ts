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
  return pageOfRows(rows, size, field);
}

/** The keyset cursor of a row in a list ordered by `field` (then id): what every page hands out. */
export function keysetCursorOf<Row extends { id: string | number }>(row: Row, field: keyof Row & string): string {
  const raw = row[field] as unknown;
  const isDate = raw instanceof Date;
  const value = isDate ? raw.toISOString() : (raw as string | number);
  return encodeKeysetCursor({ field, value, isDate, id: String(row.id) });
}

/**
 * A page from rows already fetched in order, starting at the page's first row and holding up to
 * one row more than `size` (that extra row only tells whether there is a next page).
 */
export function pageOfRows<Row extends { id: string | number }>(rows: Row[], size: number, field: keyof Row & string): Page<Row> {
  return {
    rows: rows.slice(0, size),
    hasNextPage: rows.length > size,
    cursorOf: (row) => keysetCursorOf(row, field),
  };
}

function compareValues(a: unknown, b: unknown): number {
  const left = a instanceof Date ? a.getTime() : a;
  const right = b instanceof Date ? b.getTime() : b;
  if (typeof left === "number" && typeof right === "number") return left - right;
  const l = String(left);
  const r = String(right);
  return l < r ? -1 : l > r ? 1 : 0;
}

/**
 * Pages a list already in memory (children loaded in one batch by a DataLoader), sorted by
 * `field` then id in `direction`. Cursors are keyset positions like `paginate`'s, so they stay
 * valid when rows are added before them (newest-first lists) — unlike list positions.
 */
export function paginateInMemory<Row extends { id: string | number }>(
  rows: Row[],
  request: PageRequest,
  field: keyof Row & string,
  direction: SortDirection,
): Page<Row> {
  const size = pageSize(request.first);
  let start = 0;
  if (request.after) {
    const cursor = decodeKeysetCursor(request.after, field);
    const value = cursor.isDate ? new Date(cursor.value as string) : cursor.value;
    const sign = direction === "asc" ? 1 : -1;
    const isAfter = (row: Row) => {
      const byValue = compareValues(row[field], value) * sign;
      if (byValue !== 0) return byValue > 0;
      const byId =
        (typeof row.id === "number" ? compareValues(row.id, Number(cursor.id)) : compareValues(row.id, cursor.id)) * sign;
      return byId > 0;
    };
    start = rows.findIndex(isAfter);
    if (start === -1) start = rows.length;
  }
  return pageOfRows(rows.slice(start, start + size + 1), size, field);
}
