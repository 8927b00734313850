import { InputInvalidError } from "../errors/common-errors.js";

/** Rejects a free-form JSON input larger than `maxBytes` once serialized. */
export function requireJsonWithin(value: unknown, field: string, maxBytes = 64 * 1024): void {
  const size = Buffer.byteLength(JSON.stringify(value ?? null), "utf8");
  if (size > maxBytes) {
    throw new InputInvalidError(field, `must be at most ${maxBytes} bytes of JSON; got ${size}.`);
  }
}
