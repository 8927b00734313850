import type { Database } from "../db/database.js";
import type { Transaction } from "../db/transaction.js";
import type { PageQuery } from "../lib/paginate.js";
import { type VisibleNamespaceIds, seesNoNamespace } from "../lib/visible-namespaces.js";

export interface JobRecord {
  id: string;
  namespaceId: string;
  name: string;
  jobType: string | null;
  description: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface JobFilter {
  /** Namespace name. */
  namespace?: string | undefined;
  nameContains?: string | undefined;
  jobType?: string | undefined;
  /** Only jobs of these namespaces (the caller's readable ones); undefined: all. */
  visibleNamespaceIds?: VisibleNamespaceIds;
}

function whereOf(filter: JobFilter) {
  return {
    ...(filter.namespace ? { namespace: { is: { name: filter.namespace } } } : {}),
    ...(filter.nameContains ? { name: { contains: filter.nameContains } } : {}),
    ...(filter.jobType ? { jobType: filter.jobType } : {}),
    ...(filter.visibleNamespaceIds ? { namespaceId: { in: [...filter.visibleNamespaceIds] } } : {}),
  };
}

export class JobRepository {
  constructor(private readonly db: Database) {}

  findByName(tx: Transaction, namespaceId: string, name: string): Promise<JobRecord | null> {
    return tx.job.findUnique({ where: { namespaceId_name: { namespaceId, name } } });
  }

  findById(tx: Transaction, id: string): Promise<JobRecord | null> {
    return tx.job.findUnique({ where: { id } });
  }

  /** Reads the job and locks its row until the transaction ends, so that concurrent updates take turns. */
  async findByIdForUpdate(tx: Transaction, id: string): Promise<JobRecord | null> {
    const locked = await tx.$queryRaw<Array<{ id: string }>>`SELECT id::text FROM job WHERE id = ${id}::uuid FOR UPDATE`;
    return locked.length === 0 ? null : this.findById(tx, id);
  }

  create(tx: Transaction, data: { namespaceId: string; name: string; jobType: string | null; description: string | null }) {
    return tx.job.create({ data });
  }

  update(tx: Transaction, id: string, data: { jobType?: string | null | undefined; description?: string | null | undefined }) {
    return tx.job.update({ where: { id }, data });
  }

  findByIds(ids: readonly string[]): Promise<JobRecord[]> {
    return this.db.prisma.job.findMany({ where: { id: { in: [...ids] } } });
  }

  async list(filter: JobFilter, query: PageQuery): Promise<JobRecord[]> {
    if (seesNoNamespace(filter.visibleNamespaceIds)) return [];
    return this.db.prisma.job.findMany({
      where: { AND: [whereOf(filter), ...(query.afterWhere ? [query.afterWhere] : [])] } as never,
      orderBy: query.orderBy as never,
      take: query.take,
    });
  }

  async count(filter: JobFilter): Promise<number> {
    if (seesNoNamespace(filter.visibleNamespaceIds)) return 0;
    return this.db.prisma.job.count({ where: whereOf(filter) });
  }
}
