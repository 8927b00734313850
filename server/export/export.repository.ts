import type { Database } from "../db/database.js";
import type { Transaction } from "../db/transaction.js";
import type { PageQuery } from "../lib/paginate.js";

export type ExportKind = "AUDIT_LOG" | "COMPLIANCE_REPORT";
export type ExportStatus = "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED";

/** One file of a finished export, as the manifest and the download route describe it. */
export interface ExportFileRecord {
  name: string;
  mediaType: string;
  sizeBytes: number;
  /** SHA-256 of the file's bytes, lowercase hex. */
  sha256: string;
}

/** A row of compliance_export. */
export interface ExportRecord {
  id: string;
  kind: ExportKind;
  formats: string[];
  filter: Record<string, unknown>;
  status: ExportStatus;
  progress: number;
  requestedBy: string;
  requestedByUserId: string | null;
  files: ExportFileRecord[];
  manifest: Record<string, unknown> | null;
  error: string | null;
  jobRecordId: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  expiresAt: Date;
  filesDeletedAt: Date | null;
}

export interface ExportListFilter {
  kind?: ExportKind | undefined;
  status?: ExportStatus | undefined;
  /** Only exports filtered on these namespaces (where the caller is an AUDITOR); undefined: all. */
  namespaceIds?: readonly string[] | undefined;
}

function toRecord(row: {
  formats: string[] | null;
  filter: unknown;
  files: unknown;
  manifest: unknown;
  [key: string]: unknown;
}): ExportRecord {
  return {
    ...(row as unknown as ExportRecord),
    formats: row.formats ?? [],
    filter: (row.filter ?? {}) as Record<string, unknown>,
    files: (row.files ?? []) as ExportFileRecord[],
    manifest: (row.manifest ?? null) as Record<string, unknown> | null,
  };
}

function whereOf(filter: ExportListFilter): Record<string, unknown> {
  return {
    ...(filter.kind ? { kind: filter.kind } : {}),
    ...(filter.status ? { status: filter.status } : {}),
    // An export of one namespace names it in its filter; exports of everything name none.
    ...(filter.namespaceIds ? { OR: filter.namespaceIds.map((id) => ({ filter: { path: ["namespaceId"], equals: id } })) } : {}),
  };
}

/** Reads and writes compliance_export; ExportService owns the transactions. */
export class ExportRepository {
  constructor(private readonly db: Database) {}

  async create(
    tx: Transaction,
    data: {
      kind: ExportKind;
      formats: string[];
      filter: Record<string, unknown>;
      requestedBy: string;
      requestedByUserId: string | null;
      expiresAt: Date;
    },
  ): Promise<ExportRecord> {
    return toRecord(await tx.complianceExport.create({ data: { ...data, filter: data.filter as object } }));
  }

  async findById(id: string, tx?: Transaction): Promise<ExportRecord | null> {
    const row = await (tx ?? this.db.prisma).complianceExport.findUnique({ where: { id } });
    return row ? toRecord(row) : null;
  }

  /** Locks the row for the rest of the transaction (a finishing worker and a retry do not interleave). */
  async findForUpdate(tx: Transaction, id: string): Promise<ExportRecord | null> {
    await tx.$queryRaw`SELECT id FROM compliance_export WHERE id = ${id}::uuid FOR UPDATE`;
    return this.findById(id, tx);
  }

  async findByIds(ids: readonly string[]): Promise<ExportRecord[]> {
    const rows = await this.db.prisma.complianceExport.findMany({ where: { id: { in: [...ids] } } });
    return rows.map(toRecord);
  }

  async list(filter: ExportListFilter, query: PageQuery): Promise<ExportRecord[]> {
    const rows = await this.db.prisma.complianceExport.findMany({
      where: { AND: [whereOf(filter), ...(query.afterWhere ? [query.afterWhere] : [])] } as never,
      orderBy: query.orderBy as never,
      take: query.take,
    });
    return rows.map(toRecord);
  }

  count(filter: ExportListFilter): Promise<number> {
    return this.db.prisma.complianceExport.count({ where: whereOf(filter) as never });
  }

  async setJobRecord(id: string, jobRecordId: string): Promise<void> {
    await this.db.prisma.complianceExport.update({ where: { id }, data: { jobRecordId } });
  }

  async markRunning(id: string, at: Date): Promise<void> {
    await this.db.prisma.complianceExport.update({
      where: { id },
      data: { status: "RUNNING", startedAt: at, progress: 0, error: null },
    });
  }

  async reportProgress(id: string, progress: number): Promise<void> {
    await this.db.prisma.complianceExport.update({ where: { id }, data: { progress } });
  }

  async finish(
    tx: Transaction,
    id: string,
    data:
      | { status: "SUCCEEDED"; files: ExportFileRecord[]; manifest: Record<string, unknown>; finishedAt: Date; expiresAt: Date }
      | { status: "FAILED"; error: string; finishedAt: Date },
  ): Promise<ExportRecord> {
    const row = await tx.complianceExport.update({
      where: { id },
      data:
        data.status === "SUCCEEDED"
          ? { ...data, progress: 100, error: null, files: data.files as object[], manifest: data.manifest as object }
          : { ...data },
    });
    return toRecord(row);
  }

  /** Finished exports past their expiry whose files were not deleted yet (oldest first). */
  async expiredWithFiles(now: Date, limit: number): Promise<ExportRecord[]> {
    const rows = await this.db.prisma.complianceExport.findMany({
      where: { expiresAt: { lte: now }, filesDeletedAt: null, status: { in: ["SUCCEEDED", "FAILED"] } },
      orderBy: { expiresAt: "asc" },
      take: limit,
    });
    return rows.map(toRecord);
  }

  async markFilesDeleted(ids: readonly string[], at: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.db.prisma.complianceExport.updateMany({ where: { id: { in: [...ids] } }, data: { filesDeletedAt: at } });
  }
}
