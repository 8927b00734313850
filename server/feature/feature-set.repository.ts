import type { Database } from "../db/database.js";
import type { Transaction } from "../db/transaction.js";
import type { PageQuery } from "../lib/paginate.js";
import { type VisibleNamespaceIds, seesNoNamespace } from "../lib/visible-namespaces.js";

export interface FeatureSetRecord {
  id: string;
  namespaceId: string;
  name: string;
  entityKeys: string[];
  description: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface FeatureSetFilter {
  /** Namespace name. */
  namespace?: string | undefined;
  nameContains?: string | undefined;
  /** Only feature sets of these namespaces (the caller's readable ones); undefined: all. */
  visibleNamespaceIds?: VisibleNamespaceIds;
}

function whereOf(filter: FeatureSetFilter) {
  return {
    ...(filter.namespace ? { namespace: { is: { name: filter.namespace } } } : {}),
    ...(filter.nameContains ? { name: { contains: filter.nameContains } } : {}),
    ...(filter.visibleNamespaceIds ? { namespaceId: { in: [...filter.visibleNamespaceIds] } } : {}),
  };
}

export class FeatureSetRepository {
  constructor(private readonly db: Database) {}

  /** By namespace name and own name, in one statement (no separate namespace lookup). */
  findByQualifiedName(namespace: string, name: string): Promise<FeatureSetRecord | null> {
    return this.db.prisma.featureSet.findFirst({ where: { name, namespace: { is: { name: namespace } } } });
  }

  findByName(tx: Transaction | undefined, namespaceId: string, name: string): Promise<FeatureSetRecord | null> {
    return (tx ?? this.db.prisma).featureSet.findUnique({ where: { namespaceId_name: { namespaceId, name } } });
  }

  findById(tx: Transaction, id: string): Promise<FeatureSetRecord | null> {
    return tx.featureSet.findUnique({ where: { id } });
  }

  /** Reads the feature set and locks its row until the transaction ends, so that concurrent updates take turns. */
  async findByIdForUpdate(tx: Transaction, id: string): Promise<FeatureSetRecord | null> {
    const locked = await tx.$queryRaw<Array<{ id: string }>>`SELECT id::text FROM feature_set WHERE id = ${id}::uuid FOR UPDATE`;
    return locked.length === 0 ? null : this.findById(tx, id);
  }

  create(
    tx: Transaction,
    data: { namespaceId: string; name: string; entityKeys: string[]; description: string | null },
  ): Promise<FeatureSetRecord> {
    return tx.featureSet.create({ data });
  }

  update(
    tx: Transaction,
    id: string,
    data: { description?: string | null | undefined; entityKeys?: string[] | undefined },
  ): Promise<FeatureSetRecord> {
    return tx.featureSet.update({ where: { id }, data });
  }

  findByIds(ids: readonly string[]): Promise<FeatureSetRecord[]> {
    return this.db.prisma.featureSet.findMany({ where: { id: { in: [...ids] } } });
  }

  async list(filter: FeatureSetFilter, query: PageQuery): Promise<FeatureSetRecord[]> {
    if (seesNoNamespace(filter.visibleNamespaceIds)) return [];
    return this.db.prisma.featureSet.findMany({
      where: { AND: [whereOf(filter), ...(query.afterWhere ? [query.afterWhere] : [])] } as never,
      orderBy: query.orderBy as never,
      take: query.take,
    });
  }

  async count(filter: FeatureSetFilter): Promise<number> {
    if (seesNoNamespace(filter.visibleNamespaceIds)) return 0;
    return this.db.prisma.featureSet.count({ where: whereOf(filter) });
  }
}
