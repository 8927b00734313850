import { rm } from "node:fs/promises";
import { join } from "node:path";
import { AccessDeniedError } from "../access/access.errors.js";
import { CHAIN_START, type ChainAnchor } from "../audit/audit-chain-verifier.js";
import type { ChangeRecorder } from "../audit/change-recorder.js";
import type { Database } from "../db/database.js";
import { runInTransaction } from "../db/transaction.js";
import { EntityNotFoundError, InputInvalidError } from "../errors/common-errors.js";
import type { RequestMeta } from "../graphql/context.js";
import { NODE_KINDS, type NodeKind, type NodeRef } from "../graphql/node-id.js";
import type { Logger } from "../lib/logger.js";
import { type PageRequest, paginate } from "../lib/paginate.js";
import type { QueueRuntime } from "../queue/queue-runtime.js";
import type { Repositories } from "../repositories.js";
import { QueueUnavailableError } from "../queue/queue.errors.js";
import type { AuditExportFormat } from "./audit-export-format.js";
import type { AuditExportFilter, ExportedAuditEvent } from "./audit-export.repository.js";
import { ExportExpiredError, ExportNotReadyError } from "./export.errors.js";
import { EXPORT_ATTEMPTS, EXPORT_JOB, EXPORT_QUEUE, type ExportPayload } from "./export.job.js";
import type { ExportFileRecord, ExportKind, ExportListFilter, ExportRecord, ExportStatus } from "./export.repository.js";
import type { ExportSettings } from "./export-settings.js";

/** An audit export's filter as the API takes it (ids already decoded to row keys). */
export interface AuditExportRequestFilter {
  since?: Date | undefined;
  until?: Date | undefined;
  actor?: string | undefined;
  action?: string | undefined;
  targetType?: string | undefined;
  target?: NodeRef | undefined;
  namespaceId?: string | undefined;
}

/** An id as the service uses it (row key) and as the client gave it (for error messages). */
export interface ExportReference {
  id: string;
  shownAs: string;
}

/** What the download route streams. */
export interface ExportDownload {
  exportRecord: ExportRecord;
  file: ExportFileRecord;
  path: string;
}

/** Expired exports cleaned per pass (the rest wait for the next one). */
const PURGE_BATCH = 100;

/**
 * Compliance exports: records a request (the export row and its audit event in one transaction),
 * queues the export job, and serves what the worker wrote. The worker (workers/processors/
 * export.processor.ts) calls back to report progress and to finish the export.
 */
export class ExportService {
  constructor(
    private readonly db: Database,
    private readonly repos: Pick<
      Repositories,
      "exports" | "auditExport" | "auditEvents" | "modelVersions" | "models" | "deployments"
    >,
    private readonly queues: QueueRuntime,
    private readonly recorder: ChangeRecorder,
    readonly settings: ExportSettings,
    private readonly logger?: Logger,
  ) {}

  /** Folder of one export's files. */
  directoryOf(exportId: string): string {
    return join(this.settings.dir, exportId);
  }

  async requestAuditExport(
    meta: RequestMeta,
    command: { filter: AuditExportRequestFilter; format: AuditExportFormat },
  ): Promise<ExportRecord> {
    const filter = checkedAuditFilter(command.filter);
    return this.request(meta, {
      kind: "AUDIT_LOG",
      formats: [command.format],
      filter: { ...filter },
      namespaceId: filter.namespaceId,
    });
  }

  /**
   * A model compliance report (report.json and report.pdf, built by ComplianceReportService) of
   * exactly one of a model version and a deployment, which must exist.
   */
  async requestComplianceReport(
    meta: RequestMeta,
    target: { modelVersion: ExportReference | null; deployment: ExportReference | null },
  ): Promise<ExportRecord> {
    if (target.modelVersion && target.deployment) {
      throw new InputInvalidError("deploymentId", "must not be given together with modelVersionId: give exactly one of them.");
    }
    // The report follows provenance into any namespace: a namespace binding is not enough.
    if (meta.access && !meta.access.can(["AUDITOR"], null)) {
      throw new AccessDeniedError("requestModelComplianceReport", ["AUDITOR"], "globally");
    }
    let filter: Record<string, string>;
    let namespaceId: string | undefined;
    if (target.modelVersion) {
      const [version] = await this.repos.modelVersions.findByIds([target.modelVersion.id]);
      if (!version) throw new EntityNotFoundError("Model version", target.modelVersion.shownAs, "modelVersionId");
      const [model] = await this.repos.models.findByIds([version.modelId]);
      filter = { modelVersionId: version.id };
      namespaceId = model?.namespaceId;
    } else if (target.deployment) {
      const [deployment] = await this.repos.deployments.findByIds([target.deployment.id]);
      if (!deployment) throw new EntityNotFoundError("Deployment", target.deployment.shownAs, "deploymentId");
      filter = { deploymentId: deployment.id };
      namespaceId = deployment.namespaceId;
    } else {
      throw new InputInvalidError("modelVersionId", "or deploymentId is required: give exactly one of them.");
    }
    return this.request(meta, { kind: "COMPLIANCE_REPORT", formats: ["JSON", "PDF"], filter, namespaceId });
  }

  list(filter: ExportListFilter, page: PageRequest) {
    return paginate<ExportRecord>(page, "createdAt", "desc", (query) => this.repos.exports.list(filter, query)).then(
      (result) => ({ page: result, count: () => this.repos.exports.count(filter) }),
    );
  }

  findById(id: string): Promise<ExportRecord | null> {
    return this.repos.exports.findById(id);
  }

  findByIds(ids: readonly string[]): Promise<ExportRecord[]> {
    return this.repos.exports.findByIds(ids);
  }

  // ── Worker side ─────────────────────────────────────────────────────────────────────────────

  /** How many audit events an export holds and the last id among them (fixed when it starts). */
  auditSnapshot(filter: AuditExportFilter): Promise<{ count: number; lastId: number }> {
    return this.repos.auditExport.snapshot(filter);
  }

  /** The next page of an audit export, in chain order (keyset on id). */
  auditPage(filter: AuditExportFilter, afterId: number, lastId: number, limit: number): Promise<ExportedAuditEvent[]> {
    return this.repos.auditExport.page(filter, afterId, lastId, limit);
  }

  /** The chain link an exported stretch continues from (the event before `eventId`), for verification. */
  async chainAnchorBefore(eventId: number): Promise<ChainAnchor> {
    const before = await this.repos.auditEvents.chainLinkBefore(BigInt(eventId));
    return before ? { eventId: Number(before.id), sequence: before.sequence ?? 0, hash: before.hash ?? "" } : CHAIN_START;
  }

  markRunning(exportId: string): Promise<void> {
    return this.repos.exports.markRunning(exportId, new Date());
  }

  reportProgress(exportId: string, percent: number): Promise<void> {
    return this.repos.exports.reportProgress(exportId, Math.max(0, Math.min(99, Math.floor(percent))));
  }

  /** SUCCEEDED with its files and manifest, downloadable for the configured TTL from now; audited. */
  complete(
    meta: RequestMeta,
    exportId: string,
    result: { files: ExportFileRecord[]; manifest: Record<string, unknown> },
  ): Promise<ExportRecord> {
    return runInTransaction(this.db, async (tx) => {
      const current = await this.repos.exports.findForUpdate(tx, exportId);
      if (!current) throw new EntityNotFoundError("Export", exportId);
      if (current.status === "SUCCEEDED") return current;
      const finishedAt = new Date();
      const expiresAt = new Date(finishedAt.getTime() + this.settings.ttlHours * 3_600_000);
      const finished = await this.repos.exports.finish(tx, exportId, { status: "SUCCEEDED", ...result, finishedAt, expiresAt });
      await this.recorder.record(tx, meta, {
        action: "export.completed",
        target: { kind: "Export", id: exportId, namespaceId: namespaceOf(current) },
        before: { status: current.status },
        after: {
          status: finished.status,
          files: finished.files,
          expiresAt: expiresAt.toISOString(),
          manifest: summaryOf(result.manifest),
        },
        at: finishedAt,
      });
      return finished;
    });
  }

  /** FAILED with the reason; audited. A finished export stays as it is. */
  fail(meta: RequestMeta, exportId: string, error: string): Promise<ExportRecord | null> {
    return runInTransaction(this.db, async (tx) => {
      const current = await this.repos.exports.findForUpdate(tx, exportId);
      if (!current || current.status === "SUCCEEDED" || current.status === "FAILED") return current;
      const finished = await this.repos.exports.finish(tx, exportId, { status: "FAILED", error, finishedAt: new Date() });
      await this.recorder.record(tx, meta, {
        action: "export.failed",
        target: { kind: "Export", id: exportId, namespaceId: namespaceOf(current) },
        before: { status: current.status },
        after: { status: "FAILED", error },
      });
      return finished;
    });
  }

  /**
   * Deletes the files of exports past their expiry (a pass of at most PURGE_BATCH exports; the
   * worker runs one per job, the download route one per expired download). Returns how many.
   */
  async purgeExpired(now = new Date()): Promise<number> {
    const expired = await this.repos.exports.expiredWithFiles(now, PURGE_BATCH);
    for (const row of expired) await rm(this.directoryOf(row.id), { recursive: true, force: true });
    await this.repos.exports.markFilesDeleted(
      expired.map((row) => row.id),
      now,
    );
    if (expired.length > 0) this.logger?.info({ exports: expired.length }, "deleted the files of expired exports");
    return expired.length;
  }

  /**
   * A file of a finished export for download: NOT_FOUND for an unknown export or file name,
   * CONFLICT until it has SUCCEEDED, EXPIRED (410) once its TTL has passed. Records the download.
   */
  async openDownload(meta: RequestMeta, exportRef: ExportReference, name: string): Promise<ExportDownload> {
    const row = await this.repos.exports.findById(exportRef.id);
    if (!row) throw new EntityNotFoundError("Export", exportRef.shownAs, "id");
    if (row.expiresAt.getTime() <= Date.now()) {
      await this.purgeExpired();
      throw new ExportExpiredError(exportRef.shownAs, row.expiresAt);
    }
    if (row.status !== "SUCCEEDED") throw new ExportNotReadyError(exportRef.shownAs, row.status, row.error);
    const file = row.files.find((candidate) => candidate.name === name);
    if (!file) throw new EntityNotFoundError("Export file", name, "name");
    await runInTransaction(this.db, (tx) =>
      this.recorder.record(tx, meta, {
        action: "export.downloaded",
        target: { kind: "Export", id: row.id, namespaceId: namespaceOf(row) },
        after: { file: file.name, sha256: file.sha256, sizeBytes: file.sizeBytes },
      }),
    );
    return { exportRecord: row, file, path: join(this.directoryOf(row.id), file.name) };
  }

  /** The export row and its `export.requested` event in one transaction, then the job. */
  private async request(
    meta: RequestMeta,
    request: { kind: ExportKind; formats: string[]; filter: Record<string, unknown>; namespaceId: string | undefined },
  ): Promise<ExportRecord> {
    const created = await runInTransaction(this.db, async (tx) => {
      const row = await this.repos.exports.create(tx, {
        kind: request.kind,
        formats: request.formats,
        filter: request.filter,
        requestedBy: meta.actor.name,
        requestedByUserId: meta.actor.userId ?? null,
        // Until the export finishes; it is set again then (downloads get the whole TTL).
        expiresAt: new Date(Date.now() + this.settings.ttlHours * 3_600_000),
      });
      await this.recorder.record(tx, meta, {
        action: "export.requested",
        target: { kind: "Export", id: row.id, namespaceId: request.namespaceId },
        after: { kind: row.kind, formats: row.formats, filter: row.filter, status: row.status },
        at: row.createdAt,
      });
      return row;
    });
    const payload: ExportPayload = { exportId: created.id };
    try {
      const job = await this.queues.dispatch(EXPORT_QUEUE, EXPORT_JOB, payload, { attempts: EXPORT_ATTEMPTS });
      await this.repos.exports.setJobRecord(created.id, job.id);
      return { ...created, jobRecordId: job.id };
    } catch (error) {
      // The request is on record; so is the reason it will never run.
      if (error instanceof QueueUnavailableError) await this.fail(meta, created.id, error.message).catch(() => undefined);
      throw error;
    }
  }
}

/** Validates an audit export filter and turns it into what the export row stores. */
function checkedAuditFilter(filter: AuditExportRequestFilter): AuditExportFilter {
  if (filter.since && filter.until && filter.since.getTime() >= filter.until.getTime()) {
    throw new InputInvalidError("filter.until", "must be later than filter.since (the range is [since, until)).");
  }
  let targetType = filter.targetType;
  if (targetType !== undefined && !(NODE_KINDS as readonly string[]).includes(targetType)) {
    throw new InputInvalidError(
      "filter.targetType",
      `must be a node kind such as DatasetVersion or ModelVersion; got "${targetType}".`,
    );
  }
  if (filter.target) {
    if (targetType !== undefined && targetType !== filter.target.kind) {
      throw new InputInvalidError("filter.targetType", `is ${targetType} but filter.targetId names a ${filter.target.kind}.`);
    }
    targetType = filter.target.kind;
  }
  const stored: AuditExportFilter = {
    since: filter.since?.toISOString(),
    until: filter.until?.toISOString(),
    actor: filter.actor,
    action: filter.action,
    targetType: targetType as NodeKind | undefined,
    targetId: filter.target?.key,
    namespaceId: filter.namespaceId,
  };
  return Object.fromEntries(Object.entries(stored).filter(([, value]) => value !== undefined)) as AuditExportFilter;
}

function namespaceOf(row: ExportRecord): string | undefined {
  const namespaceId = row.filter.namespaceId;
  return typeof namespaceId === "string" ? namespaceId : undefined;
}

/** The manifest's facts worth keeping in the audit trail (not the whole document). */
function summaryOf(manifest: Record<string, unknown>): Record<string, unknown> {
  const keys = ["count", "sha256", "firstSequence", "lastSequence", "firstPrevHash", "lastHash", "reportDigest"];
  return Object.fromEntries(keys.filter((key) => key in manifest).map((key) => [key, manifest[key]]));
}

export type { ExportStatus };
