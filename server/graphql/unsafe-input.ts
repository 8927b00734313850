/** Deepest JSON nesting accepted in free-form inputs (hyperparameters, signatures, metrics). */
export const MAX_INPUT_DEPTH = 32;

// NUL cannot be stored in PostgreSQL text or jsonb at all; other C0 control characters (except tab,
// newline and carriage return) only ever arrive by mistake or malice.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const FORBIDDEN_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;

export interface UnsafeValue {
  /** Input path, e.g. `input.hyperparameters.layers[2]`. */
  field: string;
  problem: string;
}

function join(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

/**
 * Finds the first string (or object key) with a control character or a lone surrogate, or nesting deeper than
 * MAX_INPUT_DEPTH, anywhere in an argument value. Stops at that depth, so it cannot overflow the
 * stack however deep the input is.
 */
export function findUnsafeValue(value: unknown, path: string, depth = 0): UnsafeValue | undefined {
  if (typeof value === "string") {
    if (FORBIDDEN_CHARACTERS.test(value)) return { field: path, problem: "must not contain control characters (such as NUL)." };
    // A lone surrogate (a JSON escape such as "\ud800") is no text: it would be stored as U+FFFD.
    return value.isWellFormed()
      ? undefined
      : { field: path, problem: "must be well-formed Unicode (it holds a lone surrogate)." };
  }
  if (value === null || typeof value !== "object" || value instanceof Date) return undefined;
  if (depth >= MAX_INPUT_DEPTH) return { field: path, problem: `must not be nested more than ${MAX_INPUT_DEPTH} levels deep.` };
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findUnsafeValue(item, join(path, index), depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  for (const [key, item] of Object.entries(value)) {
    if (FORBIDDEN_CHARACTERS.test(key))
      return { field: path, problem: "must not contain control characters (such as NUL) in its keys." };
    if (!key.isWellFormed())
      return { field: path, problem: "must be well-formed Unicode in its keys (one holds a lone surrogate)." };
    const found = findUnsafeValue(item, join(path, key), depth + 1);
    if (found) return found;
  }
  return undefined;
}
