import type { Database } from "../db/database.js";
import type { Transaction } from "../db/transaction.js";
import { countsByParent, firstPagesByParent } from "../lib/first-pages-by-parent.js";
import type { PageQuery, SortDirection } from "../lib/paginate.js";
import { type VisibleNamespaceIds, seesNoNamespace } from "../lib/visible-namespaces.js";

export interface FeatureRecord {
  id: string;
  featureSetId: string;
  name: string;
  dtype: string;
  description: string | null;
  transformationRef: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewFeature {
  featureSetId: string;
  name: string;
  dtype: string;
  description: string | null;
  transformationRef: string | null;
}

export interface FeatureFilter {
  featureSetId?: string | undefined;
  /** Namespace name. */
  namespace?: string | undefined;
  nameContains?: string | undefined;
  dtype?: string | undefined;
  /** Only features of feature sets of these namespaces (the caller's readable ones); undefined: all. */
  visibleNamespaceIds?: VisibleNamespaceIds;
}

function whereOf(filter: FeatureFilter) {
  return {
    ...(filter.featureSetId ? { featureSetId: filter.featureSetId } : {}),
    ...(filter.namespace ? { featureSet: { is: { namespace: { is: { name: filter.namespace } } } } } : {}),
    ...(filter.nameContains ? { name: { contains: filter.nameContains } } : {}),
    ...(filter.dtype ? { dtype: filter.dtype } : {}),
    // Under AND: the namespace-name condition above takes the `featureSet` key.
    ...(filter.visibleNamespaceIds
      ? { AND: [{ featureSet: { is: { namespaceId: { in: [...filter.visibleNamespaceIds] } } } }] }
      : {}),
  };
}

export class FeatureRepository {
  constructor(private readonly db: Database) {}

  findByName(tx: Transaction, featureSetId: string, name: string): Promise<FeatureRecord | null> {
    return tx.feature.findUnique({ where: { featureSetId_name: { featureSetId, name } } });
  }

  findById(tx: Transaction, id: string): Promise<FeatureRecord | null> {
    return tx.feature.findUnique({ where: { id } });
  }

  /** Reads the feature and locks its row until the transaction ends, so that concurrent updates take turns. */
  async findByIdForUpdate(tx: Transaction, id: string): Promise<FeatureRecord | null> {
    const locked = await tx.$queryRaw<Array<{ id: string }>>`SELECT id::text FROM feature WHERE id = ${id}::uuid FOR UPDATE`;
    return locked.length === 0 ? null : this.findById(tx, id);
  }

  create(tx: Transaction, data: NewFeature): Promise<FeatureRecord> {
    return tx.feature.create({ data });
  }

  update(
    tx: Transaction,
    id: string,
    data: { description?: string | null | undefined; dtype?: string | undefined; transformationRef?: string | null | undefined },
  ): Promise<FeatureRecord> {
    return tx.feature.update({ where: { id }, data });
  }

  /**
   * Row keys of the dataset versions a feature is currently computed from (its current SOURCE_OF
   * edges), read in the caller's transaction so that a re-registration adds only missing edges.
   */
  async currentSourceIds(tx: Transaction, featureId: string): Promise<string[]> {
    const rows = await tx.lineageEdge.findMany({
      where: { downstreamId: featureId, kind: "SOURCE_OF", validTo: null },
      select: { upstreamId: true },
    });
    return rows.map((row) => row.upstreamId);
  }

  findByIds(ids: readonly string[]): Promise<FeatureRecord[]> {
    return this.db.prisma.feature.findMany({ where: { id: { in: [...ids] } } });
  }

  async list(filter: FeatureFilter, query: PageQuery): Promise<FeatureRecord[]> {
    if (seesNoNamespace(filter.visibleNamespaceIds)) return [];
    return this.db.prisma.feature.findMany({
      where: { AND: [whereOf(filter), ...(query.afterWhere ? [query.afterWhere] : [])] } as never,
      orderBy: query.orderBy as never,
      take: query.take,
    });
  }

  async count(filter: FeatureFilter): Promise<number> {
    if (seesNoNamespace(filter.visibleNamespaceIds)) return 0;
    return this.db.prisma.feature.count({ where: whereOf(filter) });
  }

  /** The first `take` features of each feature set, ordered by `field` then id (two statements in all). */
  firstPagesByFeatureSet(
    featureSetIds: readonly string[],
    field: "name" | "createdAt" | "updatedAt",
    direction: SortDirection,
    take: number,
  ): Promise<FeatureRecord[]> {
    return firstPagesByParent(
      (text, values) => this.db.pool.query(text, values),
      (ids) => this.findByIds(ids),
      "featuresByFeatureSet",
      featureSetIds,
      field,
      direction,
      take,
    );
  }

  /** Number of features of each feature set, in one statement. */
  countByFeatureSet(featureSetIds: readonly string[]): Promise<Map<string, number>> {
    return countsByParent((text, values) => this.db.pool.query(text, values), "featuresByFeatureSet", featureSetIds);
  }
}
