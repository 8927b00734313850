import { Field, Float, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { type NodeKind, encodeNodeId } from "../graphql/node-id.js";
import { Node } from "../graphql/node.type.js";
import { DateTime, JSONObject } from "../graphql/scalars.js";
import type { ExportFileRecord, ExportRecord } from "./export.repository.js";

export enum ExportKind {
  AUDIT_LOG = "AUDIT_LOG",
  COMPLIANCE_REPORT = "COMPLIANCE_REPORT",
}
registerEnumType(ExportKind, {
  name: "ExportKind",
  valuesConfig: {
    AUDIT_LOG: { description: "Audit events as CSV or JSONL, with manifest.json (count, SHA-256, first/last chain hash)." },
    COMPLIANCE_REPORT: { description: "The compliance report of a model version or deployment, as report.json and report.pdf." },
  },
});

export enum ExportStatus {
  QUEUED = "QUEUED",
  RUNNING = "RUNNING",
  SUCCEEDED = "SUCCEEDED",
  FAILED = "FAILED",
}
registerEnumType(ExportStatus, { name: "ExportStatus" });

export enum AuditExportFormat {
  CSV = "CSV",
  JSONL = "JSONL",
}
registerEnumType(AuditExportFormat, {
  name: "AuditExportFormat",
  valuesConfig: {
    CSV: { description: "RFC 4180 with a header record and CRLF line ends; before/after hold JSON." },
    JSONL: { description: "One JSON object per line, as docs/audit.md's offline chain check reads them." },
  },
});

/** The path of a file's download route (relative to the API's base URL). */
export function exportDownloadPath(exportId: string, fileName: string): string {
  return `/v1/exports/${encodeNodeId("Export", exportId)}/files/${encodeURIComponent(fileName)}`;
}

@ObjectType({ description: "One file of a finished export." })
export class ExportFile {
  @Field(() => String)
  name!: string;

  @Field(() => String, { description: "Content type the download is served with." })
  mediaType!: string;

  @Field(() => Float)
  sizeBytes!: number;

  @Field(() => String, { description: "SHA-256 of the file's bytes, lowercase hex (also the x-content-sha256 header)." })
  sha256!: string;

  @Field(() => String, {
    nullable: true,
    description:
      "GET it with an AUDITOR or ADMIN bearer token (path relative to the API's base URL); null once the export has expired.",
  })
  downloadUrl!: string | null;

  static from(exportId: string, file: ExportFileRecord, downloadable: boolean): ExportFile {
    return Object.assign(new ExportFile(), {
      ...file,
      downloadUrl: downloadable ? exportDownloadPath(exportId, file.name) : null,
    });
  }
}

@ObjectType({
  implements: Node,
  description: "A compliance export: requested by an auditor, written by the export worker, downloadable until it expires.",
})
export class Export extends Node {
  @Field(() => ExportKind)
  kind!: ExportKind;

  @Field(() => [String], { description: "File formats asked for, e.g. [CSV] or [JSON, PDF]." })
  formats!: string[];

  @Field(() => JSONObject, { description: "What was asked for (audit filter with global ids, or the report's target)." })
  filter!: Record<string, unknown>;

  @Field(() => ExportStatus)
  status!: ExportStatus;

  @Field(() => Int, { description: "0–100." })
  progress!: number;

  @Field(() => String, { description: "Actor who requested it." })
  requestedBy!: string;

  @Field(() => [ExportFile], { description: "Empty until SUCCEEDED." })
  files!: ExportFile[];

  @Field(() => JSONObject, { nullable: true, description: "manifest.json as written next to the files." })
  manifest!: Record<string, unknown> | null;

  @Field(() => String, { nullable: true, description: "Why it FAILED." })
  error!: string | null;

  @Field(() => ID, { nullable: true, description: "The QueueJob writing it (subscribe to jobProgress with it)." })
  jobId!: string | null;

  @Field(() => DateTime)
  createdAt!: Date;

  @Field(() => DateTime, { nullable: true })
  startedAt!: Date | null;

  @Field(() => DateTime, { nullable: true })
  finishedAt!: Date | null;

  @Field(() => DateTime, { description: "Downloads answer 410 from then on, and the files are deleted." })
  expiresAt!: Date;

  @Field(() => Boolean)
  expired!: boolean;

  static from(row: ExportRecord): Export {
    const expired = row.expiresAt.getTime() <= Date.now();
    const downloadable = row.status === "SUCCEEDED" && !expired;
    return Object.assign(new Export(), {
      ...row,
      key: row.id,
      id: encodeNodeId("Export", row.id),
      kind: row.kind as ExportKind,
      status: row.status as ExportStatus,
      filter: withGlobalIds(row.filter),
      files: row.files.map((file) => ExportFile.from(row.id, file, downloadable)),
      jobId: row.jobRecordId ? encodeNodeId("QueueJob", row.jobRecordId) : null,
      expired,
    });
  }
}

/** A stored filter with the row keys it holds turned back into the global ids the API speaks. */
function withGlobalIds(filter: Record<string, unknown>): Record<string, unknown> {
  const shown = { ...filter };
  if (typeof filter.targetId === "string" && typeof filter.targetType === "string") {
    shown.targetId = encodeNodeId(filter.targetType as NodeKind, filter.targetId);
  }
  if (typeof filter.namespaceId === "string") shown.namespaceId = encodeNodeId("Namespace", filter.namespaceId);
  for (const kind of ["ModelVersion", "Deployment"] as const) {
    const key = `${kind.charAt(0).toLowerCase()}${kind.slice(1)}Id`;
    if (typeof filter[key] === "string") shown[key] = encodeNodeId(kind, filter[key] as string);
  }
  return shown;
}
