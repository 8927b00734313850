import type { Database } from "../db/database.js";
import type { Transaction } from "../db/transaction.js";
import type { PageQuery } from "../lib/paginate.js";
import { type VisibleNamespaceIds, seesNoNamespace } from "../lib/visible-namespaces.js";

export interface NamespaceRecord {
  id: string;
  name: string;
  description: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface NamespaceFilter {
  nameContains?: string | undefined;
  /** Only these namespaces (the caller's readable ones); undefined: all. */
  visibleNamespaceIds?: VisibleNamespaceIds;
}

function whereOf(filter: NamespaceFilter) {
  return {
    ...(filter.nameContains ? { name: { contains: filter.nameContains } } : {}),
    ...(filter.visibleNamespaceIds ? { id: { in: [...filter.visibleNamespaceIds] } } : {}),
  };
}

export class NamespaceRepository {
  constructor(private readonly db: Database) {}

  findByName(tx: Transaction | undefined, name: string): Promise<NamespaceRecord | null> {
    return (tx ?? this.db.prisma).namespace.findUnique({ where: { name } });
  }

  findById(tx: Transaction, id: string): Promise<NamespaceRecord | null> {
    return tx.namespace.findUnique({ where: { id } });
  }

  /** Reads the namespace and locks its row until the transaction ends, so that concurrent updates take turns. */
  async findByIdForUpdate(tx: Transaction, id: string): Promise<NamespaceRecord | null> {
    const locked = await tx.$queryRaw<Array<{ id: string }>>`SELECT id::text FROM namespace WHERE id = ${id}::uuid FOR UPDATE`;
    return locked.length === 0 ? null : this.findById(tx, id);
  }

  create(tx: Transaction, data: { name: string; description?: string | null | undefined }): Promise<NamespaceRecord> {
    return tx.namespace.create({ data: { name: data.name, description: data.description ?? null } });
  }

  update(tx: Transaction, id: string, data: { description?: string | null | undefined }): Promise<NamespaceRecord> {
    return tx.namespace.update({ where: { id }, data });
  }

  findByIds(ids: readonly string[]): Promise<NamespaceRecord[]> {
    return this.db.prisma.namespace.findMany({ where: { id: { in: [...ids] } } });
  }

  async list(filter: NamespaceFilter, query: PageQuery): Promise<NamespaceRecord[]> {
    if (seesNoNamespace(filter.visibleNamespaceIds)) return [];
    return this.db.prisma.namespace.findMany({
      where: { AND: [whereOf(filter), ...(query.afterWhere ? [query.afterWhere] : [])] } as never,
      orderBy: query.orderBy as never,
      take: query.take,
    });
  }

  async count(filter: NamespaceFilter): Promise<number> {
    if (seesNoNamespace(filter.visibleNamespaceIds)) return 0;
    return this.db.prisma.namespace.count({ where: whereOf(filter) });
  }
}
