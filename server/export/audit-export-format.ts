import type { ChainedAuditContent } from "../audit/audit-chain.js";
import type { ExportedAuditEvent } from "./audit-export.repository.js";

export type AuditExportFormat = "CSV" | "JSONL";
export const AUDIT_EXPORT_FORMATS: readonly AuditExportFormat[] = ["CSV", "JSONL"];

/**
 * One exported event: the keys of the chain's canonical document (docs/audit.md) without `v`,
 * plus `hash`. A JSONL line is exactly this object, so the offline check in docs/audit.md runs on
 * the file as it is; CSV has one column per key in this order.
 */
export interface AuditExportLine extends Omit<ChainedAuditContent, "sequence" | "occurredAt"> {
  /** Null for events written before the chain existed. */
  sequence: number | null;
  /** ISO 8601 UTC with milliseconds, as the chain hashes it. */
  occurredAt: string;
  prevHash: string | null;
  hash: string | null;
}

export const AUDIT_EXPORT_COLUMNS: ReadonlyArray<keyof AuditExportLine> = [
  "sequence",
  "occurredAt",
  "actor",
  "tokenId",
  "role",
  "action",
  "targetType",
  "targetId",
  "namespaceId",
  "before",
  "after",
  "requestId",
  "clientAddress",
  "prevHash",
  "hash",
];

const JSON_COLUMNS = new Set<keyof AuditExportLine>(["before", "after"]);

export const AUDIT_EXPORT_FILES: Record<AuditExportFormat, { name: string; mediaType: string }> = {
  CSV: { name: "audit-events.csv", mediaType: "text/csv; charset=utf-8; header=present" },
  JSONL: { name: "audit-events.jsonl", mediaType: "application/x-ndjson; charset=utf-8" },
};

export function toExportLine(event: ExportedAuditEvent): AuditExportLine {
  return {
    sequence: event.sequence === null ? null : Number(event.sequence),
    occurredAt: event.occurredAt.toISOString(),
    actor: event.actor,
    // As the canonical document has them (Postgres prints uuids in lowercase already).
    tokenId: event.tokenId?.toLowerCase() ?? null,
    role: event.role,
    action: event.action,
    targetType: event.targetType,
    targetId: event.targetId,
    namespaceId: event.namespaceId?.toLowerCase() ?? null,
    before: event.before ?? null,
    after: event.after ?? null,
    requestId: event.requestId,
    clientAddress: event.clientAddress,
    prevHash: event.prevHash,
    hash: event.hash,
  };
}

/**
 * One CSV field, RFC 4180: quoted (inner quotes doubled) when it holds a comma, quote, CR or LF.
 * No csv-stringify is installed, hence by hand. A null is an empty field and an empty string is
 * `""`, so that a reader can tell them apart (the chain hash does).
 */
export function csvField(value: string | null): string {
  if (value === null) return "";
  if (value === "") return '""';
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** The CSV header record (CRLF-terminated, as every record). */
export function csvHeader(): string {
  return `${AUDIT_EXPORT_COLUMNS.join(",")}\r\n`;
}

/** One CSV record; before/after hold compact JSON (`null` snapshots are empty fields). */
export function csvRecord(line: AuditExportLine): string {
  const fields = AUDIT_EXPORT_COLUMNS.map((column) => {
    const value = line[column];
    if (value === null || value === undefined) return csvField(null);
    if (JSON_COLUMNS.has(column)) return csvField(JSON.stringify(value));
    return csvField(String(value));
  });
  return `${fields.join(",")}\r\n`;
}

export function jsonlRecord(line: AuditExportLine): string {
  return `${JSON.stringify(line)}\n`;
}
