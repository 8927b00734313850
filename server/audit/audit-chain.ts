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

/**
 * The canonical document of an event: RFC 8785 (JCS) JSON of the content plus the previous
 * event's hash. Ids are lowercased as Postgres prints uuids; time is ISO 8601 UTC with
 * milliseconds (the column's precision). docs/audit.md documents the same form for offline checks.
 */
export function canonicalAuditDocument(content: ChainedAuditContent, prevHash: string): string {
  const document = {
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
  const canonical = canonicalize(document);
  if (canonical === undefined) throw new Error("audit event is not serializable as JSON");
  return canonical;
}

/** SHA-256 (lowercase hex) of the event's canonical document. */
export function auditEventHash(content: ChainedAuditContent, prevHash: string): string {
  return createHash("sha256").update(canonicalAuditDocument(content, prevHash), "utf8").digest("hex");
}
