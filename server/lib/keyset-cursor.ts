import { InputInvalidError } from "../errors/common-errors.js";

/** A keyset position: the ordering column's value and the row id that breaks ties. */
export interface KeysetCursor {
  field: string;
  /** ISO string for date columns, an integer for version/revision/position, text otherwise; null only for nulls-last lists. */
  value: string | number | null;
  isDate: boolean;
  id: string;
}

// Cursors come back from clients, so every part is checked before it reaches a query.
const DATE_FIELDS = new Set(["createdAt", "updatedAt", "committedAt", "occurredAt"]);
const INTEGER_FIELDS = new Set(["version", "revision", "position"]);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DECIMAL_ID = /^[1-9][0-9]{0,15}$/;
const MIN_DATE = Date.UTC(1900, 0, 1);
const MAX_DATE = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

export function encodeKeysetCursor(cursor: KeysetCursor): string {
  return Buffer.from(JSON.stringify(cursor), "utf8").toString("base64url");
}

function validValue(field: string, value: unknown, allowNull: boolean): value is string | number | null {
  if (value === null) return allowNull;
  if (DATE_FIELDS.has(field)) {
    const time = typeof value === "string" ? Date.parse(value) : Number.NaN;
    return time >= MIN_DATE && time <= MAX_DATE;
  }
  if (INTEGER_FIELDS.has(field)) return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 2_147_483_647;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  return typeof value === "string" && value.length <= 1_024 && !/[\u0000-\u001f]/.test(value);
}

/**
 * Decodes and checks a client's `after` cursor for a list ordered by `field`; anything malformed,
 * tampered with or made for another ordering is a BAD_USER_INPUT on `after`.
 */
export function decodeKeysetCursor(text: string, field: string, options: { allowNullValue?: boolean } = {}): KeysetCursor {
  try {
    if (text.length > 4_096) throw new Error("too long");
    const parsed = JSON.parse(Buffer.from(text, "base64url").toString("utf8")) as Partial<KeysetCursor>;
    const idOk = typeof parsed.id === "string" && (UUID.test(parsed.id) || DECIMAL_ID.test(parsed.id));
    if (parsed.field === field && idOk && validValue(field, parsed.value, options.allowNullValue === true)) {
      return { field, value: parsed.value as string | number | null, isDate: DATE_FIELDS.has(field), id: parsed.id as string };
    }
  } catch {
    // fall through to the error below
  }
  throw new InputInvalidError("after", "is not a cursor of this list with this ordering.");
}
