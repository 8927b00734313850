import type { Database } from "../db/database.js";
import type { Transaction } from "../db/transaction.js";
import type { PageQuery } from "../lib/paginate.js";
import { type VisibleNamespaceIds, seesNoNamespace } from "../lib/visible-namespaces.js";
import type { NullsLastPageQuery } from "./paginate-nulls-last.js";

export interface CodeCommitRecord {
  id: string;
  namespaceId: string;
  repository: string;
  sha: string;
  branch: string | null;
  author: string | null;
  message: string | null;
  committedAt: Date | null;
  createdAt: Date;
}

export interface NewCodeCommit {
  namespaceId: string;
  repository: string;
  sha: string;
  branch: string | null;
  author: string | null;
  message: string | null;
  committedAt: Date | null;
}

export interface CodeCommitFilter {
  /** Namespace name. */
  namespace?: string | undefined;
  repository?: string | undefined;
  branch?: string | undefined;
  /** A SHA or an abbreviation of one: matches commits whose SHA starts with it. */
  shaPrefix?: string | undefined;
  /** Only commits of these namespaces (the caller's readable ones); undefined: all. */
  visibleNamespaceIds?: VisibleNamespaceIds;
}

function whereOf(filter: CodeCommitFilter) {
  return {
    ...(filter.namespace ? { namespace: { is: { name: filter.namespace } } } : {}),
    ...(filter.repository ? { repository: filter.repository } : {}),
    ...(filter.branch ? { branch: filter.branch } : {}),
    ...(filter.shaPrefix ? { sha: { startsWith: filter.shaPrefix } } : {}),
    ...(filter.visibleNamespaceIds ? { namespaceId: { in: [...filter.visibleNamespaceIds] } } : {}),
  };
}

export class CodeCommitRepository {
  constructor(private readonly db: Database) {}

  findByKey(tx: Transaction, namespaceId: string, repository: string, sha: string): Promise<CodeCommitRecord | null> {
    return tx.codeCommit.findUnique({ where: { namespaceId_repository_sha: { namespaceId, repository, sha } } });
  }

  findById(tx: Transaction, id: string): Promise<CodeCommitRecord | null> {
    return tx.codeCommit.findUnique({ where: { id } });
  }

  /** Reads the commit and locks its row until the transaction ends, so that concurrent updates take turns. */
  async findByIdForUpdate(tx: Transaction, id: string): Promise<CodeCommitRecord | null> {
    const locked = await tx.$queryRaw<Array<{ id: string }>>`SELECT id::text FROM code_commit WHERE id = ${id}::uuid FOR UPDATE`;
    return locked.length === 0 ? null : this.findById(tx, id);
  }

  create(tx: Transaction, data: NewCodeCommit): Promise<CodeCommitRecord> {
    return tx.codeCommit.create({ data });
  }

  update(
    tx: Transaction,
    id: string,
    data: { branch?: string | null | undefined; message?: string | null | undefined },
  ): Promise<CodeCommitRecord> {
    return tx.codeCommit.update({ where: { id }, data });
  }

  findByIds(ids: readonly string[]): Promise<CodeCommitRecord[]> {
    return this.db.prisma.codeCommit.findMany({ where: { id: { in: [...ids] } } });
  }

  async list(filter: CodeCommitFilter, query: PageQuery | NullsLastPageQuery): Promise<CodeCommitRecord[]> {
    if (seesNoNamespace(filter.visibleNamespaceIds)) return [];
    return this.db.prisma.codeCommit.findMany({
      where: { AND: [whereOf(filter), ...(query.afterWhere ? [query.afterWhere] : [])] } as never,
      orderBy: query.orderBy as never,
      take: query.take,
    });
  }

  async count(filter: CodeCommitFilter): Promise<number> {
    if (seesNoNamespace(filter.visibleNamespaceIds)) return 0;
    return this.db.prisma.codeCommit.count({ where: whereOf(filter) });
  }
}
