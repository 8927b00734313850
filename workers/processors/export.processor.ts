import { createHash, randomUUID } from "node:crypto";
import { mkdir, open, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { AuditChainVerifier, type AuditChainVerification } from "../../server/audit/audit-chain-verifier.js";
import type { RequestMeta } from "../../server/graphql/context.js";
import { encodeNodeId } from "../../server/graphql/node-id.js";
import {
  AUDIT_EXPORT_COLUMNS,
  AUDIT_EXPORT_FILES,
  AUDIT_EXPORT_FORMATS,
  type AuditExportFormat,
  csvHeader,
  csvRecord,
  jsonlRecord,
  toExportLine,
} from "../../server/export/audit-export-format.js";
import {
  type AuditExportFilter,
  type ExportedAuditEvent,
  selectsWholeChain,
} from "../../server/export/audit-export.repository.js";
import { EXPORT_ACTOR, EXPORT_ATTEMPTS, EXPORT_JOB, EXPORT_QUEUE, exportPayloadSchema } from "../../server/export/export.job.js";
import type { ExportFileRecord, ExportRecord } from "../../server/export/export.repository.js";
import type { Services } from "../../server/services.js";
import type { ComplianceReportTarget } from "../../server/compliance/compliance-report.js";
import { renderComplianceReportPdf } from "../../server/compliance/compliance-report-pdf.js";
import { EntityNotFoundError } from "../../server/errors/common-errors.js";
import { type JobContext, type JobHandler, PermanentJobError } from "../worker-host.js";

export const MANIFEST_FILE = "manifest.json";
export const MANIFEST_VERSION = 1;

export interface ExportHandlerOptions {
  /** Audit events read per query. @defaultValue 5000 */
  pageSize?: number;
  /** Progress is reported at most this often (and once at the end). @defaultValue 500 */
  progressIntervalMs?: number;
}

export interface ExportJobResult {
  /** Global id of the Export. */
  exportId: string;
  status: "SUCCEEDED";
  files: ExportFileRecord[];
}

/**
 * The export job: writes the files of one Export under <exportDir>/<exportId>/ and finishes it
 * (SUCCEEDED with files and manifest, or FAILED with the reason, each an audit event). Each run
 * first deletes the files of expired exports. Idempotent: an export that already SUCCEEDED is
 * left as it is, and a retry writes every file again (each appears whole or not at all).
 */
export function exportHandler(services: Services, options: ExportHandlerOptions = {}): JobHandler {
  return {
    queue: EXPORT_QUEUE,
    name: EXPORT_JOB,
    run: (payload, context) => runExport(services, payload, context, options),
  };
}

export async function runExport(
  services: Services,
  rawPayload: Record<string, unknown>,
  context: JobContext,
  options: ExportHandlerOptions = {},
): Promise<ExportJobResult> {
  const parsed = exportPayloadSchema.safeParse(rawPayload);
  if (!parsed.success) throw new PermanentJobError(`The export job's payload is invalid: ${parsed.error.message}`);
  const { exportId } = parsed.data;
  const meta: RequestMeta = { actor: { name: EXPORT_ACTOR }, requestId: context.jobId, clientAddress: undefined };
  // The cleanup pass must never cost the export itself.
  await services.exports.purgeExpired().catch(() => undefined);

  const row = await services.exports.findById(exportId);
  if (!row) throw new PermanentJobError(`Export ${exportId} does not exist.`);
  const result = (files: ExportFileRecord[]): ExportJobResult => ({
    exportId: encodeNodeId("Export", exportId),
    status: "SUCCEEDED",
    files,
  });
  if (row.status === "SUCCEEDED") return result(row.files);
  if (row.status === "FAILED") throw new PermanentJobError(`Export ${exportId} already FAILED: ${row.error ?? "no reason"}`);

  await services.exports.markRunning(exportId);
  const directory = services.exports.directoryOf(exportId);
  try {
    await mkdir(directory, { recursive: true });
    const written =
      row.kind === "AUDIT_LOG"
        ? await writeAuditExport(services, row, directory, context, options)
        : await writeComplianceReport(services, row, directory, context);
    const finished = await services.exports.complete(meta, exportId, written);
    return result(finished.files);
  } catch (error) {
    const permanent = error instanceof PermanentJobError;
    if (permanent || context.attempt >= EXPORT_ATTEMPTS) {
      await rm(directory, { recursive: true, force: true }).catch(() => undefined);
      await services.exports.fail(meta, exportId, messageOf(error)).catch(() => undefined);
    }
    throw error;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A file written under a temporary name and renamed into place once whole, hashed as it is written. */
class AtomicHashedFile {
  private readonly hash = createHash("sha256");
  private bytes = 0;

  private constructor(
    private readonly handle: Awaited<ReturnType<typeof open>>,
    private readonly temporaryPath: string,
    private readonly path: string,
  ) {}

  static async create(directory: string, name: string): Promise<AtomicHashedFile> {
    // One temporary file per attempt ("wx": never shared): a stalled attempt still writing cannot
    // interleave with its retry; the rename makes whichever finishes the file everyone reads.
    const temporaryPath = join(directory, `.${name}.${randomUUID()}.partial`);
    return new AtomicHashedFile(await open(temporaryPath, "wx"), temporaryPath, join(directory, name));
  }

  async write(text: string): Promise<void> {
    await this.writeBytes(Buffer.from(text, "utf8"));
  }

  async writeBytes(buffer: Buffer): Promise<void> {
    this.hash.update(buffer);
    this.bytes += buffer.length;
    // A write may take fewer bytes than given; carry on from where it stopped.
    for (let offset = 0; offset < buffer.length; ) {
      offset += (await this.handle.write(buffer, offset)).bytesWritten;
    }
  }

  /** Flushes to disk and renames into place. */
  async commit(): Promise<{ sizeBytes: number; sha256: string }> {
    await this.handle.sync();
    await this.handle.close();
    await rename(this.temporaryPath, this.path);
    return { sizeBytes: this.bytes, sha256: this.hash.digest("hex") };
  }

  async discard(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await rm(this.temporaryPath, { force: true });
  }
}

async function writeFileAtomically(
  directory: string,
  name: string,
  text: string,
): Promise<{ sizeBytes: number; sha256: string }> {
  const file = await AtomicHashedFile.create(directory, name);
  try {
    await file.write(text);
    return await file.commit();
  } catch (error) {
    await file.discard();
    throw error;
  }
}

/** Reports progress to the job (jobProgress) and the export row, at most once per interval. */
function progressReporter(services: Services, exportId: string, context: JobContext, intervalMs: number) {
  let lastAt = 0;
  return async (percent: number, message: string, force = false) => {
    const now = Date.now();
    if (!force && now - lastAt < intervalMs) return;
    lastAt = now;
    await context.reportProgress(percent, message);
    await services.exports.reportProgress(exportId, percent);
  };
}

/**
 * The audit events of the export's filter, in chain order, as CSV or JSONL (pages of `pageSize`
 * read with a keyset on id: memory stays flat), then manifest.json. The chain is verified over
 * the exported range: in the same pass when the export is the whole chain (every event is at
 * hand), else with verifyAuditChain over the time span of the exported events.
 */
async function writeAuditExport(
  services: Services,
  row: ExportRecord,
  directory: string,
  context: JobContext,
  options: ExportHandlerOptions,
): Promise<{ files: ExportFileRecord[]; manifest: Record<string, unknown> }> {
  const pageSize = options.pageSize ?? 5_000;
  const format = row.formats[0] as AuditExportFormat;
  if (!AUDIT_EXPORT_FORMATS.includes(format)) throw new PermanentJobError(`Unknown audit export format "${row.formats[0]}".`);
  const filter = row.filter as AuditExportFilter;
  const wholeChain = selectsWholeChain(filter);
  const report = progressReporter(services, row.id, context, options.progressIntervalMs ?? 500);
  const snapshot = await services.exports.auditSnapshot(filter);
  const total = snapshot.count;
  const writingShare = wholeChain ? 99 : 90;
  await report(0, `exporting ${total} audit events`, true);

  const { name, mediaType } = AUDIT_EXPORT_FILES[format];
  const encode = format === "CSV" ? csvRecord : jsonlRecord;
  const file = await AtomicHashedFile.create(directory, name);
  let first: ExportedAuditEvent | undefined;
  let last: ExportedAuditEvent | undefined;
  let earliest = Number.POSITIVE_INFINITY;
  let latest = Number.NEGATIVE_INFINITY;
  let count = 0;
  let verifier: AuditChainVerifier | undefined;
  let written: { sizeBytes: number; sha256: string };
  try {
    if (format === "CSV") await file.write(csvHeader());
    let afterId = 0;
    for (;;) {
      const page = total === 0 ? [] : await services.exports.auditPage(filter, afterId, snapshot.lastId, pageSize);
      if (page.length === 0) break;
      let chunk = "";
      for (const event of page) {
        chunk += encode(toExportLine(event));
        const at = event.occurredAt.getTime();
        if (at < earliest) earliest = at;
        if (at > latest) latest = at;
      }
      await file.write(chunk);
      if (wholeChain) {
        verifier ??= new AuditChainVerifier(await services.exports.chainAnchorBefore(page[0]!.id));
        verifier.feed(page);
      }
      first ??= page[0];
      last = page[page.length - 1];
      count += page.length;
      afterId = last!.id;
      await report((count / Math.max(total, 1)) * writingShare, `written ${count} of ${total} audit events`);
      if (page.length < pageSize) break;
    }
    written = await file.commit();
  } catch (error) {
    await file.discard();
    throw error;
  }
  await report(writingShare, `written ${count} of ${total} audit events`, true);

  let verification: AuditChainVerification;
  let verifiedSpan: { from: string; to: string } | null = null;
  if (verifier) {
    verification = verifier.result();
  } else if (count > 0) {
    verifiedSpan = { from: new Date(earliest).toISOString(), to: new Date(latest + 1).toISOString() };
    await report(writingShare, "verifying the audit chain over the exported range", true);
    verification = await services.auditEvents.verifyChain({ from: new Date(earliest), to: new Date(latest + 1) });
  } else {
    verification = new AuditChainVerifier({ eventId: null, sequence: 0, hash: "" }).result();
  }

  const dataFile: ExportFileRecord = { name, mediaType, ...written };
  const firstSequence = first?.sequence ?? null;
  const lastSequence = last?.sequence ?? null;
  const manifest: Record<string, unknown> = {
    manifestVersion: MANIFEST_VERSION,
    exportId: encodeNodeId("Export", row.id),
    kind: row.kind,
    format,
    file: name,
    mediaType,
    sizeBytes: written.sizeBytes,
    sha256: written.sha256,
    count,
    firstSequence,
    lastSequence,
    /** prevHash of the first exported event: the chain link the file continues from. */
    firstPrevHash: first?.prevHash ?? null,
    firstHash: first?.hash ?? null,
    lastHash: last?.hash ?? null,
    /** True when the file is one unbroken stretch of the chain (every link inside it can be checked). */
    contiguous: count > 0 && firstSequence !== null && lastSequence !== null && lastSequence - firstSequence + 1 === count,
    ...(format === "CSV" ? { columns: [...AUDIT_EXPORT_COLUMNS] } : {}),
    filter: row.filter,
    requestedBy: row.requestedBy,
    requestedAt: row.createdAt.toISOString(),
    generatedAt: new Date().toISOString(),
    chainVerification: {
      scope: verifier ? "the exported events" : verifiedSpan ? "every event in the time span of the exported events" : "none",
      ...(verifiedSpan ? { span: verifiedSpan } : {}),
      ok: verification.ok,
      eventsChecked: verification.eventsChecked,
      headHash: verification.headHash,
      brokenLink: verification.brokenLink,
    },
  };
  const manifestFile = await writeFileAtomically(directory, MANIFEST_FILE, `${JSON.stringify(manifest, null, 2)}\n`);
  return {
    files: [dataFile, { name: MANIFEST_FILE, mediaType: "application/json", ...manifestFile }],
    manifest,
  };
}

/**
 * A model compliance report: report.json (ComplianceReportService, self-checking through its
 * `digest`) and report.pdf rendered from the same document, then manifest.json with both files'
 * SHA-256. A target deleted since the request fails the export for good.
 */
async function writeComplianceReport(
  services: Services,
  row: ExportRecord,
  directory: string,
  context: JobContext,
): Promise<{ files: ExportFileRecord[]; manifest: Record<string, unknown> }> {
  const report = progressReporter(services, row.id, context, 0);
  const { modelVersionId, deploymentId } = row.filter as { modelVersionId?: string; deploymentId?: string };
  const target: ComplianceReportTarget | undefined = modelVersionId
    ? { modelVersionId }
    : deploymentId
      ? { deploymentId }
      : undefined;
  if (!target) throw new PermanentJobError("The export names neither a model version nor a deployment.");
  await report(5, "gathering the compliance report");
  const document = await services.complianceReports.build(target).catch((error: unknown) => {
    throw error instanceof EntityNotFoundError ? new PermanentJobError(error.message) : error;
  });
  await report(50, "rendering report.pdf");
  const pdf = await renderComplianceReportPdf(document);
  await report(90, "writing the files");
  const json = await writeFileAtomically(directory, "report.json", `${JSON.stringify(document, null, 2)}\n`);
  const pdfFile = await AtomicHashedFile.create(directory, "report.pdf");
  let pdfWritten: { sizeBytes: number; sha256: string };
  try {
    await pdfFile.writeBytes(pdf);
    pdfWritten = await pdfFile.commit();
  } catch (error) {
    await pdfFile.discard();
    throw error;
  }
  const files: ExportFileRecord[] = [
    { name: "report.json", mediaType: "application/json", ...json },
    { name: "report.pdf", mediaType: "application/pdf", ...pdfWritten },
  ];
  const manifest: Record<string, unknown> = {
    manifestVersion: MANIFEST_VERSION,
    exportId: encodeNodeId("Export", row.id),
    kind: row.kind,
    target: document.target,
    files,
    reportDigest: document.digest,
    reportDigestMethod: document.digestMethod,
    chainVerification: document.audit.chainVerification,
    requestedBy: row.requestedBy,
    requestedAt: row.createdAt.toISOString(),
    generatedAt: new Date().toISOString(),
  };
  const manifestFile = await writeFileAtomically(directory, MANIFEST_FILE, `${JSON.stringify(manifest, null, 2)}\n`);
  return { files: [...files, { name: MANIFEST_FILE, mediaType: "application/json", ...manifestFile }], manifest };
}
