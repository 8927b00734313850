import { parseNodeId } from "../graphql/node-id.js";
import type { Reference } from "./run.service.js";

/** Decodes a global id argument into a service Reference (row key + the id as the client sent it). */
export function runReference(id: string, field: string): Reference {
  return { id: parseNodeId(id, "Run", field), shownAs: id };
}

export function optionalReference(id: string | null | undefined, kind: "Run" | "CodeCommit", field: string): Reference | null {
  return id ? { id: parseNodeId(id, kind, field), shownAs: id } : null;
}
