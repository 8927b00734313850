import type { Database } from "../db/database.js";
import type { Transaction } from "../db/transaction.js";
import type { PageQuery } from "../lib/paginate.js";
import { type VisibleNamespaceIds, seesNoNamespace } from "../lib/visible-namespaces.js";
import type { ArtifactCheck, ModelVersionStatus } from "./model-artifact-verifier.js";
import { parseMetrics, parseSignature } from "./model-json.js";

export interface ModelVersionRecord {
  id: string;
  modelId: string;
  version: number;
  artifactUri: string;
  artifactSha256: string;
  signature: Record<string, unknown>;
  metrics: Record<string, number>;
  description: string | null;
  /** Row key of the run that produced the artifact. */
  sourceRunId: string | null;
  /** READY when the artifact was verified; only READY versions deploy. */
  status: ModelVersionStatus;
  statusReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewModelVersion {
  modelId: string;
  version: number;
  artifactUri: string;
  artifactSha256: string;
  signature: Record<string, unknown>;
  metrics: Record<string, number>;
  description: string | null;
  sourceRunId: string | null;
  status: ModelVersionStatus;
  statusReason: string | null;
}

export interface ModelVersionFilter {
  modelId?: string | undefined;
  alias?: string | undefined;
  artifactSha256?: string | undefined;
  /** Only versions of models of these namespaces (the caller's readable ones); undefined: all. */
  visibleNamespaceIds?: VisibleNamespaceIds;
}

/** A model version with the namespace of its model (for checks across families). */
export interface ScopedModelVersion extends ModelVersionRecord {
  namespaceId: string;
}

interface ModelVersionRow extends Omit<ModelVersionRecord, "signature" | "metrics"> {
  signature: unknown;
  metrics: unknown;
}

const COLUMNS = {
  id: true,
  modelId: true,
  version: true,
  artifactUri: true,
  artifactSha256: true,
  signature: true,
  metrics: true,
  description: true,
  sourceRunId: true,
  status: true,
  statusReason: true,
  createdAt: true,
  updatedAt: true,
} as const;

function toModelVersion(row: ModelVersionRow): ModelVersionRecord {
  return {
    id: row.id,
    modelId: row.modelId,
    version: row.version,
    artifactUri: row.artifactUri,
    artifactSha256: row.artifactSha256,
    signature: parseSignature(row.signature),
    metrics: parseMetrics(row.metrics),
    description: row.description,
    sourceRunId: row.sourceRunId,
    status: row.status,
    statusReason: row.statusReason,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function versionWhere(filter: ModelVersionFilter) {
  return {
    ...(filter.modelId ? { modelId: filter.modelId } : {}),
    ...(filter.alias ? { aliases: { some: { alias: filter.alias } } } : {}),
    ...(filter.artifactSha256 ? { artifactSha256: filter.artifactSha256 } : {}),
    ...(filter.visibleNamespaceIds ? { model: { is: { namespaceId: { in: [...filter.visibleNamespaceIds] } } } } : {}),
  };
}

/** Model versions: immutable artifacts with mutable description and metrics. */
export class ModelVersionRepository {
  constructor(private readonly db: Database) {}

  async findById(tx: Transaction, id: string): Promise<ModelVersionRecord | null> {
    const row = await tx.modelVersion.findUnique({ where: { id }, select: COLUMNS });
    return row ? toModelVersion(row) : null;
  }

  /** Locks the version's row until the transaction ends, so that concurrent updates take turns. */
  async lock(tx: Transaction, id: string): Promise<boolean> {
    const rows = await tx.$queryRaw<Array<{ id: string }>>`SELECT id::text FROM model_version WHERE id = ${id}::uuid FOR UPDATE`;
    return rows.length > 0;
  }

  async findBySha256(tx: Transaction, modelId: string, artifactSha256: string): Promise<ModelVersionRecord | null> {
    const row = await tx.modelVersion.findUnique({
      where: { modelId_artifactSha256: { modelId, artifactSha256 } },
      select: COLUMNS,
    });
    return row ? toModelVersion(row) : null;
  }

  async latestVersionNumber(tx: Transaction, modelId: string): Promise<number> {
    const result = await tx.modelVersion.aggregate({ where: { modelId }, _max: { version: true } });
    return result._max.version ?? 0;
  }

  async create(tx: Transaction, data: NewModelVersion): Promise<ModelVersionRecord> {
    const row = await tx.modelVersion.create({
      data: { ...data, signature: data.signature as object, metrics: data.metrics },
      select: COLUMNS,
    });
    return toModelVersion(row);
  }

  async update(
    tx: Transaction,
    id: string,
    data: { description?: string | null | undefined; metrics?: Record<string, number> | undefined },
  ): Promise<ModelVersionRecord> {
    const row = await tx.modelVersion.update({ where: { id }, data, select: COLUMNS });
    return toModelVersion(row);
  }

  /** Records the run that produced an artifact registered before its run was known. */
  async setSourceRun(tx: Transaction, id: string, sourceRunId: string): Promise<ModelVersionRecord> {
    const row = await tx.modelVersion.update({ where: { id }, data: { sourceRunId }, select: COLUMNS });
    return toModelVersion(row);
  }

  /** Records the outcome of an artifact check. */
  async setStatus(tx: Transaction, id: string, check: ArtifactCheck): Promise<ModelVersionRecord> {
    const row = await tx.modelVersion.update({
      where: { id },
      data: { status: check.status, statusReason: check.reason },
      select: COLUMNS,
    });
    return toModelVersion(row);
  }

  /** The versions with their model's namespace, inside a transaction. */
  async findScopedByIds(tx: Transaction, ids: readonly string[]): Promise<ScopedModelVersion[]> {
    const rows = await tx.modelVersion.findMany({
      where: { id: { in: [...ids] } },
      select: { ...COLUMNS, model: { select: { namespaceId: true } } },
    });
    return rows.map(({ model, ...row }) => ({ ...toModelVersion(row), namespaceId: model.namespaceId }));
  }

  async findByIds(ids: readonly string[]): Promise<ModelVersionRecord[]> {
    const rows = await this.db.prisma.modelVersion.findMany({ where: { id: { in: [...ids] } }, select: COLUMNS });
    return rows.map(toModelVersion);
  }

  /** Every version of the models, newest first within each model, in one statement (for DataLoaders). */
  async findByModelIds(modelIds: readonly string[]): Promise<ModelVersionRecord[]> {
    const rows = await this.db.prisma.modelVersion.findMany({
      where: { modelId: { in: [...modelIds] } },
      orderBy: [{ modelId: "asc" }, { version: "desc" }],
      select: COLUMNS,
    });
    return rows.map(toModelVersion);
  }

  async list(filter: ModelVersionFilter, query: PageQuery): Promise<ModelVersionRecord[]> {
    if (seesNoNamespace(filter.visibleNamespaceIds)) return [];
    const rows = await this.db.prisma.modelVersion.findMany({
      where: { AND: [versionWhere(filter), ...(query.afterWhere ? [query.afterWhere] : [])] } as never,
      orderBy: query.orderBy as never,
      take: query.take,
      select: COLUMNS,
    });
    return rows.map(toModelVersion);
  }

  async count(filter: ModelVersionFilter): Promise<number> {
    if (seesNoNamespace(filter.visibleNamespaceIds)) return 0;
    return this.db.prisma.modelVersion.count({ where: versionWhere(filter) });
  }
}
