import { encodeNodeId, parseNodeId } from "../graphql/node-id.js";

/** Ids of monitoring records: node ids (base64url of "Kind:uuid", server/graphql/node-id.ts). */
export type MonitoringKind = "Alert" | "DriftReport" | "AlertRule";

export function encodeMonitoringId(kind: MonitoringKind, key: string): string {
  return encodeNodeId(kind, key);
}

/** The row key of an id of `kind`; BAD_USER_INPUT naming `field` otherwise. */
export function parseMonitoringId(id: string, kind: MonitoringKind, field: string): string {
  return parseNodeId(id, kind, field);
}
