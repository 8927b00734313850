import { NodeIdInvalidError } from "../errors/common-errors.js";

/** Every GraphQL type that implements `Node`. */
export const NODE_KINDS = [
  "Namespace",
  "Dataset",
  "DatasetVersion",
  "DatasetField",
  "FeatureSet",
  "Feature",
  "CodeCommit",
  "Job",
  "Run",
  "Model",
  "ModelVersion",
  "Deployment",
  "DeploymentRevision",
  "AuditEvent",
  "QueueJob",
  "Alert",
  "DriftReport",
  "AlertRule",
  "User",
  "ApiToken",
  "Export",
] as const;
export type NodeKind = (typeof NODE_KINDS)[number];

export interface NodeRef {
  kind: NodeKind;
  /** The row key: a UUID, or a decimal for audit events. */
  key: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// Audit event ids are bigserials read as JS numbers: at most 16 digits keeps them exact.
const DECIMAL = /^[1-9][0-9]{0,15}$/;

/** Global ids are opaque to clients: base64url of "Kind:key". */
export function encodeNodeId(kind: NodeKind, key: string | number): string {
  return Buffer.from(`${kind}:${key}`, "utf8").toString("base64url");
}

/** Returns undefined for anything that is not a well-formed id of a known kind. */
export function tryDecodeNodeId(id: string): NodeRef | undefined {
  if (id.length > 128 || !/^[A-Za-z0-9_-]+$/.test(id)) return undefined;
  const text = Buffer.from(id, "base64url").toString("utf8");
  const colon = text.indexOf(":");
  if (colon < 0) return undefined;
  const kind = text.slice(0, colon) as NodeKind;
  const key = text.slice(colon + 1);
  if (!NODE_KINDS.includes(kind)) return undefined;
  const keyPattern = kind === "AuditEvent" ? DECIMAL : UUID;
  return keyPattern.test(key) ? { kind, key } : undefined;
}

/** Parses an id argument at the edge; `field` names the argument in the error. */
export function parseNodeId<K extends NodeKind>(id: string, expected: K, field: string): string {
  const ref = tryDecodeNodeId(id);
  if (!ref) throw new NodeIdInvalidError(field, id, expected);
  if (ref.kind !== expected) throw new NodeIdInvalidError(field, id, expected);
  return ref.key;
}
