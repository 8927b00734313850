import type { Database } from "../db/database.js";
import type { Transaction } from "../db/transaction.js";
import type { PageQuery } from "../lib/paginate.js";
import { type VisibleNamespaceIds, seesNoNamespace } from "../lib/visible-namespaces.js";

export interface ModelRecord {
  id: string;
  namespaceId: string;
  name: string;
  description: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A named pointer (e.g. `champion`) from a model to one of its versions. */
export interface ModelAliasRecord {
  modelId: string;
  alias: string;
  modelVersionId: string;
  updatedAt: Date;
}

export interface ModelFilter {
  /** Namespace name. */
  namespace?: string | undefined;
  nameContains?: string | undefined;
  /** Only models of these namespaces (the caller's readable ones); undefined: all. */
  visibleNamespaceIds?: VisibleNamespaceIds;
}

function modelWhere(filter: ModelFilter) {
  return {
    ...(filter.namespace ? { namespace: { is: { name: filter.namespace } } } : {}),
    ...(filter.nameContains ? { name: { contains: filter.nameContains } } : {}),
    ...(filter.visibleNamespaceIds ? { namespaceId: { in: [...filter.visibleNamespaceIds] } } : {}),
  };
}

/** Models and their aliases. */
export class ModelRepository {
  constructor(private readonly db: Database) {}

  /** By namespace name and own name, in one statement (no separate namespace lookup). */
  findByQualifiedName(namespace: string, name: string): Promise<ModelRecord | null> {
    return this.db.prisma.model.findFirst({ where: { name, namespace: { is: { name: namespace } } } });
  }

  findByName(tx: Transaction | undefined, namespaceId: string, name: string): Promise<ModelRecord | null> {
    return (tx ?? this.db.prisma).model.findUnique({ where: { namespaceId_name: { namespaceId, name } } });
  }

  findById(tx: Transaction, id: string): Promise<ModelRecord | null> {
    return tx.model.findUnique({ where: { id } });
  }

  /** Locks the model row until the transaction ends, so that version numbers are handed out one at a time. */
  async lock(tx: Transaction, id: string): Promise<void> {
    await tx.$queryRaw`SELECT id FROM "model" WHERE id = ${id}::uuid FOR UPDATE`;
  }

  create(tx: Transaction, data: { namespaceId: string; name: string; description: string | null }): Promise<ModelRecord> {
    return tx.model.create({ data });
  }

  update(tx: Transaction, id: string, data: { description?: string | null | undefined }): Promise<ModelRecord> {
    return tx.model.update({ where: { id }, data });
  }

  findByIds(ids: readonly string[]): Promise<ModelRecord[]> {
    return this.db.prisma.model.findMany({ where: { id: { in: [...ids] } } });
  }

  async list(filter: ModelFilter, query: PageQuery): Promise<ModelRecord[]> {
    if (seesNoNamespace(filter.visibleNamespaceIds)) return [];
    return this.db.prisma.model.findMany({
      where: { AND: [modelWhere(filter), ...(query.afterWhere ? [query.afterWhere] : [])] } as never,
      orderBy: query.orderBy as never,
      take: query.take,
    });
  }

  async count(filter: ModelFilter): Promise<number> {
    if (seesNoNamespace(filter.visibleNamespaceIds)) return 0;
    return this.db.prisma.model.count({ where: modelWhere(filter) });
  }

  findAlias(tx: Transaction, modelId: string, alias: string): Promise<ModelAliasRecord | null> {
    return tx.modelAlias.findUnique({ where: { modelId_alias: { modelId, alias } } });
  }

  /** Points `alias` of the model at the version, creating the alias if needed. */
  setAlias(tx: Transaction, modelId: string, alias: string, modelVersionId: string): Promise<ModelAliasRecord> {
    return tx.modelAlias.upsert({
      where: { modelId_alias: { modelId, alias } },
      create: { modelId, alias, modelVersionId },
      update: { modelVersionId },
    });
  }

  async removeAlias(tx: Transaction, modelId: string, alias: string): Promise<void> {
    await tx.modelAlias.delete({ where: { modelId_alias: { modelId, alias } } });
  }

  /** The aliases of each model, by alias name, for DataLoaders. */
  findAliasesByModelIds(modelIds: readonly string[]): Promise<ModelAliasRecord[]> {
    return this.db.prisma.modelAlias.findMany({
      where: { modelId: { in: [...modelIds] } },
      orderBy: [{ modelId: "asc" }, { alias: "asc" }],
    });
  }
}
