import { OpenLineageBodyInvalidError } from "./openlineage.errors.js";

/** One entry of a request body: a parsed JSON value, or why that entry could not be parsed. */
export type BodyEntry = { value: unknown } | { problem: { path: string; message: string } };

export interface ParsedBody {
  /** True when the body held one event object (answered 201/200); false for a JSON array or NDJSON. */
  single: boolean;
  entries: BodyEntry[];
}

export const OPENLINEAGE_MEDIA_TYPES = ["application/json", "application/x-ndjson"] as const;

/**
 * Reads a request body: a JSON object (one event), a JSON array (a batch), or NDJSON (one event a
 * line; a malformed line fails alone). A body that is not JSON at all is refused as a whole.
 */
export function parseBody(text: string, mediaType: (typeof OPENLINEAGE_MEDIA_TYPES)[number], maxEvents: number): ParsedBody {
  if (mediaType === "application/x-ndjson") {
    const entries: BodyEntry[] = [];
    text.split("\n").forEach((line, index) => {
      if (line.trim() === "") return;
      try {
        entries.push({ value: JSON.parse(line) });
      } catch (error) {
        entries.push({ problem: { path: `line ${index + 1}`, message: `is not valid JSON: ${reasonOf(error)}` } });
      }
    });
    return { single: false, entries: checkCount(entries, maxEvents) };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new OpenLineageBodyInvalidError(`Request body is not valid JSON: ${reasonOf(error)}`);
  }
  if (Array.isArray(value))
    return {
      single: false,
      entries: checkCount(
        value.map((item) => ({ value: item })),
        maxEvents,
      ),
    };
  return { single: true, entries: [{ value }] };
}

function checkCount(entries: BodyEntry[], maxEvents: number): BodyEntry[] {
  if (entries.length === 0)
    throw new OpenLineageBodyInvalidError("Request body holds no events; send one event, an array or NDJSON.");
  if (entries.length > maxEvents) {
    throw new OpenLineageBodyInvalidError(
      `Request body holds ${entries.length} events; at most ${maxEvents} are accepted in one request (PEDIGREE_OPENLINEAGE_MAX_BATCH_EVENTS).`,
    );
  }
  return entries;
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
