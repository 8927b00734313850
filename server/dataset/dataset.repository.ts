import type { Database } from "../db/database.js";
import type { Transaction } from "../db/transaction.js";
import { countsByParent, firstPagesByParent } from "../lib/first-pages-by-parent.js";
import type { PageQuery, SortDirection } from "../lib/paginate.js";
import { type VisibleNamespaceIds, seesNoNamespace } from "../lib/visible-namespaces.js";
import { type SchemaField, parseSchemaFields } from "./schema-field.js";

export type DatasetFormat = "PARQUET" | "DELTA" | "ICEBERG" | "CSV" | "JSON" | "AVRO" | "OTHER";

export interface DatasetRecord {
  id: string;
  namespaceId: string;
  name: string;
  description: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface DatasetVersionRecord {
  id: string;
  datasetId: string;
  version: number;
  uri: string;
  format: DatasetFormat;
  digest: string;
  schemaFields: SchemaField[];
  rowCount: number | null;
  sizeBytes: number | null;
  snapshotRef: string | null;
  createdAt: Date;
}

export interface NewDatasetVersion {
  datasetId: string;
  version: number;
  uri: string;
  format: DatasetFormat;
  digest: string;
  schemaFields: SchemaField[];
  rowCount: number | null;
  sizeBytes: number | null;
  snapshotRef: string | null;
  /** When the version came to be, when known (an OpenLineage event time). @defaultValue now */
  createdAt?: Date | undefined;
}

export interface DatasetFilter {
  /** Namespace name. */
  namespace?: string | undefined;
  nameContains?: string | undefined;
  /** Only datasets of these namespaces (the caller's readable ones); undefined: all. */
  visibleNamespaceIds?: VisibleNamespaceIds;
}

export interface DatasetVersionFilter {
  datasetId?: string | undefined;
  format?: DatasetFormat | undefined;
  digest?: string | undefined;
  /** Only versions of datasets of these namespaces (the caller's readable ones); undefined: all. */
  visibleNamespaceIds?: VisibleNamespaceIds;
}

/** A version as read by Prisma or plain SQL: schema not yet checked, int8 columns maybe bigint. */
export interface DatasetVersionRow extends Omit<DatasetVersionRecord, "schemaFields" | "rowCount" | "sizeBytes"> {
  schemaFields: unknown;
  rowCount: bigint | number | null;
  sizeBytes: bigint | number | null;
}

export function toDatasetVersion(row: DatasetVersionRow): DatasetVersionRecord {
  return {
    ...row,
    schemaFields: parseSchemaFields(row.schemaFields),
    rowCount: row.rowCount === null ? null : Number(row.rowCount),
    sizeBytes: row.sizeBytes === null ? null : Number(row.sizeBytes),
  };
}

function datasetWhere(filter: DatasetFilter) {
  return {
    ...(filter.namespace ? { namespace: { is: { name: filter.namespace } } } : {}),
    ...(filter.nameContains ? { name: { contains: filter.nameContains } } : {}),
    ...(filter.visibleNamespaceIds ? { namespaceId: { in: [...filter.visibleNamespaceIds] } } : {}),
  };
}

function versionWhere(filter: DatasetVersionFilter) {
  return {
    ...(filter.datasetId ? { datasetId: filter.datasetId } : {}),
    ...(filter.format ? { format: filter.format } : {}),
    ...(filter.digest ? { digest: filter.digest } : {}),
    ...(filter.visibleNamespaceIds ? { dataset: { is: { namespaceId: { in: [...filter.visibleNamespaceIds] } } } } : {}),
  };
}

export class DatasetRepository {
  constructor(private readonly db: Database) {}

  /** By namespace name and own name, in one statement (no separate namespace lookup). */
  findByQualifiedName(namespace: string, name: string): Promise<DatasetRecord | null> {
    return this.db.prisma.dataset.findFirst({ where: { name, namespace: { is: { name: namespace } } } });
  }

  findByName(tx: Transaction | undefined, namespaceId: string, name: string): Promise<DatasetRecord | null> {
    return (tx ?? this.db.prisma).dataset.findUnique({ where: { namespaceId_name: { namespaceId, name } } });
  }

  findById(tx: Transaction, id: string): Promise<DatasetRecord | null> {
    return tx.dataset.findUnique({ where: { id } });
  }

  /** Reads the dataset and locks its row until the transaction ends, so that concurrent updates take turns. */
  async findByIdForUpdate(tx: Transaction, id: string): Promise<DatasetRecord | null> {
    const locked = await tx.$queryRaw<Array<{ id: string }>>`SELECT id::text FROM dataset WHERE id = ${id}::uuid FOR UPDATE`;
    return locked.length === 0 ? null : this.findById(tx, id);
  }

  create(tx: Transaction, data: { namespaceId: string; name: string; description: string | null }): Promise<DatasetRecord> {
    return tx.dataset.create({ data });
  }

  update(tx: Transaction, id: string, data: { description?: string | null | undefined }): Promise<DatasetRecord> {
    return tx.dataset.update({ where: { id }, data });
  }

  findByIds(ids: readonly string[]): Promise<DatasetRecord[]> {
    return this.db.prisma.dataset.findMany({ where: { id: { in: [...ids] } } });
  }

  async list(filter: DatasetFilter, query: PageQuery): Promise<DatasetRecord[]> {
    if (seesNoNamespace(filter.visibleNamespaceIds)) return [];
    return this.db.prisma.dataset.findMany({
      where: { AND: [datasetWhere(filter), ...(query.afterWhere ? [query.afterWhere] : [])] } as never,
      orderBy: query.orderBy as never,
      take: query.take,
    });
  }

  async count(filter: DatasetFilter): Promise<number> {
    if (seesNoNamespace(filter.visibleNamespaceIds)) return 0;
    return this.db.prisma.dataset.count({ where: datasetWhere(filter) });
  }

  /**
   * Locks the dataset row until the transaction ends, so that concurrent registrations of its
   * versions take turns allocating version numbers (and see each other's digests).
   */
  async lockForNewVersion(tx: Transaction, datasetId: string): Promise<void> {
    await tx.$queryRaw`SELECT id FROM dataset WHERE id = ${datasetId}::uuid FOR UPDATE`;
  }

  async findVersionByDigest(tx: Transaction, datasetId: string, digest: string): Promise<DatasetVersionRecord | null> {
    const row = await tx.datasetVersion.findUnique({ where: { datasetId_digest: { datasetId, digest } } });
    return row ? toDatasetVersion(row) : null;
  }

  /**
   * Row key of the run that wrote the version (its current PRODUCED edge), read in the caller's
   * transaction so that a repeat registration can add a producer that was not known yet.
   */
  async findProducerRunId(tx: Transaction, datasetVersionId: string): Promise<string | null> {
    const edge = await tx.lineageEdge.findFirst({
      where: { downstreamId: datasetVersionId, kind: "PRODUCED", upstreamType: "RUN", validTo: null },
      orderBy: { validFrom: "asc" },
      select: { upstreamId: true },
    });
    return edge?.upstreamId ?? null;
  }

  async latestVersionNumber(tx: Transaction, datasetId: string): Promise<number> {
    const result = await tx.datasetVersion.aggregate({ where: { datasetId }, _max: { version: true } });
    return result._max.version ?? 0;
  }

  /** Creates the version and a lineage node (dataset field) per schema field; a repeated name counts once. */
  async createVersion(tx: Transaction, data: NewDatasetVersion): Promise<DatasetVersionRecord> {
    const fields = data.schemaFields.map((field) => ({ name: field.name, dataType: field.type }));
    const { createdAt, ...columns } = data;
    const row = await tx.datasetVersion.create({
      data: {
        ...columns,
        ...(createdAt ? { createdAt } : {}),
        schemaFields: data.schemaFields as object[],
        ...(fields.length > 0 ? { fields: { createMany: { data: fields, skipDuplicates: true } } } : {}),
      },
    });
    return toDatasetVersion(row);
  }

  async findVersionsByIds(ids: readonly string[]): Promise<DatasetVersionRecord[]> {
    const rows = await this.db.prisma.datasetVersion.findMany({ where: { id: { in: [...ids] } } });
    return rows.map(toDatasetVersion);
  }

  async findVersionsByIdsIn(tx: Transaction, ids: readonly string[]): Promise<DatasetVersionRecord[]> {
    const rows = await tx.datasetVersion.findMany({ where: { id: { in: [...ids] } } });
    return rows.map(toDatasetVersion);
  }

  async listVersions(filter: DatasetVersionFilter, query: PageQuery): Promise<DatasetVersionRecord[]> {
    if (seesNoNamespace(filter.visibleNamespaceIds)) return [];
    const rows = await this.db.prisma.datasetVersion.findMany({
      where: { AND: [versionWhere(filter), ...(query.afterWhere ? [query.afterWhere] : [])] } as never,
      orderBy: query.orderBy as never,
      take: query.take,
    });
    return rows.map(toDatasetVersion);
  }

  async countVersions(filter: DatasetVersionFilter): Promise<number> {
    if (seesNoNamespace(filter.visibleNamespaceIds)) return 0;
    return this.db.prisma.datasetVersion.count({ where: versionWhere(filter) });
  }

  /** The first `take` versions of each dataset, ordered by `field` then id (two statements in all). */
  firstVersionPages(
    datasetIds: readonly string[],
    field: "version" | "createdAt",
    direction: SortDirection,
    take: number,
  ): Promise<DatasetVersionRecord[]> {
    return firstPagesByParent(
      (text, values) => this.db.pool.query(text, values),
      (ids) => this.findVersionsByIds(ids),
      "datasetVersionsByDataset",
      datasetIds,
      field,
      direction,
      take,
    );
  }

  /** Number of versions of each dataset, in one statement. */
  countVersionsByDataset(datasetIds: readonly string[]): Promise<Map<string, number>> {
    return countsByParent((text, values) => this.db.pool.query(text, values), "datasetVersionsByDataset", datasetIds);
  }
}
