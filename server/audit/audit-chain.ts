import { createHash } from "node:crypto";
import canonicalize from "canonicalize";

/** `prevHash` of the first event of the chain. */
export const GENESIS_HASH = "0".repeat(64);

/** Version of the canonical form; part of every hashed document so the form can evolve. */
export const AUDIT_CHAIN_VERSION = 1;

/** The fields of an audit event that its hash covers (everything but `id`, `hash` itself). */
export interface ChainedAuditContent {
  sequence: number;
  occurredAt: Date;
  actor: string;
  tokenId: string | null;
  role: string | null;
  action: string;
  targetType: string;
  targetId: string;
  namespaceId: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
  clientAddress: string | null;
}

function chainDocument(content: ChainedAuditContent, prevHash: string): Record<string, unknown> {
  return {
    v: AUDIT_CHAIN_VERSION,
    sequence: content.sequence,
    occurredAt: content.occurredAt.toISOString(),
    actor: content.actor,
    tokenId: content.tokenId?.toLowerCase() ?? null,
    role: content.role,
    action: content.action,
    targetType: content.targetType,
    targetId: content.targetId,
    namespaceId: content.namespaceId?.toLowerCase() ?? null,
    before: content.before ?? null,
    after: content.after ?? null,
    requestId: content.requestId,
    clientAddress: content.clientAddress,
    prevHash,
  };
}

function canonicalJson(value: unknown): string {
  const canonical = canonicalize(value);
  if (canonical === undefined) throw new Error("audit event is not serializable as JSON");
  return canonical;
}

/**
 * The canonical document of an event: RFC 8785 (JCS) JSON of the content plus the previous
 * event's hash. Ids are lowercased as Postgres prints uuids; time is ISO 8601 UTC with
 * milliseconds (the column's precision). docs/audit.md documents the same form for offline checks.
 */
export function canonicalAuditDocument(content: ChainedAuditContent, prevHash: string): string {
  return canonicalJson(chainDocument(content, prevHash));
}

/**
 * An event's canonical document with the two fields only the chain's head decides (`sequence`,
 * `prevHash`) left open. A batch writer canonicalizes its events before it takes the chain lock
 * and only fills these in under it; the filled-in text equals `canonicalAuditDocument`.
 */
export interface AuditDocumentTemplate {
  /** Text around the open fields: `texts[0]`, field `slots[0]`, `texts[1]`, field `slots[1]`, `texts[2]`. */
  texts: string[];
  slots: Array<"sequence" | "prevHash">;
}

/** `snapshots`: `before` and `after` as canonical JSON when the caller has them already. */
export function auditDocumentTemplate(
  content: Omit<ChainedAuditContent, "sequence">,
  snapshots?: { before: string; after: string },
): AuditDocumentTemplate {
  const document = chainDocument({ ...content, sequence: 0 }, "");
  const texts: string[] = [];
  const slots: AuditDocumentTemplate["slots"] = [];
  let text = "{";
  // JCS orders members by their names' UTF-16 code units, which is what Array.prototype.sort does.
  for (const [index, name] of Object.keys(document).sort().entries()) {
    text += `${index > 0 ? "," : ""}${JSON.stringify(name)}:`;
    if (name === "sequence" || name === "prevHash") {
      texts.push(text);
      slots.push(name);
      text = "";
    } else if (snapshots && (name === "before" || name === "after")) {
      text += snapshots[name];
    } else {
      text += canonicalJson(document[name]);
    }
  }
  texts.push(`${text}}`);
  return { texts, slots };
}

/** SHA-256 of the template's document once the chain's head decided its sequence and previous hash. */
export function chainedAuditHash(template: AuditDocumentTemplate, sequence: number, prevHash: string): string {
  const hash = createHash("sha256");
  for (const [index, slot] of template.slots.entries()) {
    hash.update(template.texts[index]!, "utf8");
    hash.update(slot === "sequence" ? canonicalJson(sequence) : JSON.stringify(prevHash), "utf8");
  }
  return hash.update(template.texts[template.slots.length]!, "utf8").digest("hex");
}

/** SHA-256 (lowercase hex) of the event's canonical document. */
export function auditEventHash(content: ChainedAuditContent, prevHash: string): string {
  return createHash("sha256").update(canonicalAuditDocument(content, prevHash), "utf8").digest("hex");
}
