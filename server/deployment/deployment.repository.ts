import type { Database } from "../db/database.js";
import type { Transaction } from "../db/transaction.js";
import type { PageQuery } from "../lib/paginate.js";
import { type VisibleNamespaceIds, seesNoNamespace } from "../lib/visible-namespaces.js";
import { type TrafficShareRecord, parseTrafficSplit } from "./traffic-split.js";

export interface DeploymentRecord {
  id: string;
  namespaceId: string;
  name: string;
  environment: string;
  description: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface DeploymentRevisionRecord {
  id: string;
  deploymentId: string;
  revision: number;
  trafficSplit: TrafficShareRecord[];
  actor: string;
  reason: string | null;
  createdAt: Date;
}

export interface NewDeploymentRevision {
  deploymentId: string;
  revision: number;
  trafficSplit: TrafficShareRecord[];
  actor: string;
  reason: string | null;
  /** When the revision takes effect. */
  createdAt: Date;
}

export interface DeploymentFilter {
  /** Namespace name. */
  namespace?: string | undefined;
  environment?: string | undefined;
  nameContains?: string | undefined;
  /** Only deployments of these namespaces (the caller's readable ones); undefined: all. */
  visibleNamespaceIds?: VisibleNamespaceIds;
}

interface RevisionRow extends Omit<DeploymentRevisionRecord, "trafficSplit"> {
  trafficSplit: unknown;
}

function toRevision(row: RevisionRow): DeploymentRevisionRecord {
  return { ...row, trafficSplit: parseTrafficSplit(row.trafficSplit) };
}

function deploymentWhere(filter: DeploymentFilter) {
  return {
    ...(filter.namespace ? { namespace: { is: { name: filter.namespace } } } : {}),
    ...(filter.environment ? { environment: filter.environment } : {}),
    ...(filter.nameContains ? { name: { contains: filter.nameContains } } : {}),
    ...(filter.visibleNamespaceIds ? { namespaceId: { in: [...filter.visibleNamespaceIds] } } : {}),
  };
}

/** Deployments and their append-only revisions. */
export class DeploymentRepository {
  constructor(private readonly db: Database) {}

  /** By namespace name and own name, in one statement (no separate namespace lookup). */
  findByQualifiedName(namespace: string, name: string): Promise<DeploymentRecord | null> {
    return this.db.prisma.deployment.findFirst({ where: { name, namespace: { is: { name: namespace } } } });
  }

  findByName(tx: Transaction | undefined, namespaceId: string, name: string): Promise<DeploymentRecord | null> {
    return (tx ?? this.db.prisma).deployment.findUnique({ where: { namespaceId_name: { namespaceId, name } } });
  }

  findById(tx: Transaction, id: string): Promise<DeploymentRecord | null> {
    return tx.deployment.findUnique({ where: { id } });
  }

  /** Locks the deployment row until the transaction ends, so that revisions are written one at a time. */
  async lock(tx: Transaction, id: string): Promise<boolean> {
    const rows = await tx.$queryRaw<
      Array<{ id: string }>
    >`SELECT id::text AS id FROM "deployment" WHERE id = ${id}::uuid FOR UPDATE`;
    return rows.length > 0;
  }

  create(
    tx: Transaction,
    data: { namespaceId: string; name: string; environment: string; description: string | null },
  ): Promise<DeploymentRecord> {
    return tx.deployment.create({ data });
  }

  update(
    tx: Transaction,
    id: string,
    data: { description?: string | null | undefined; environment?: string | undefined },
  ): Promise<DeploymentRecord> {
    return tx.deployment.update({ where: { id }, data });
  }

  findByIds(ids: readonly string[]): Promise<DeploymentRecord[]> {
    return this.db.prisma.deployment.findMany({ where: { id: { in: [...ids] } } });
  }

  async list(filter: DeploymentFilter, query: PageQuery): Promise<DeploymentRecord[]> {
    if (seesNoNamespace(filter.visibleNamespaceIds)) return [];
    return this.db.prisma.deployment.findMany({
      where: { AND: [deploymentWhere(filter), ...(query.afterWhere ? [query.afterWhere] : [])] } as never,
      orderBy: query.orderBy as never,
      take: query.take,
    });
  }

  async count(filter: DeploymentFilter): Promise<number> {
    if (seesNoNamespace(filter.visibleNamespaceIds)) return 0;
    return this.db.prisma.deployment.count({ where: deploymentWhere(filter) });
  }

  async latestRevision(tx: Transaction, deploymentId: string): Promise<DeploymentRevisionRecord | null> {
    const row = await tx.deploymentRevision.findFirst({ where: { deploymentId }, orderBy: { revision: "desc" } });
    return row ? toRevision(row) : null;
  }

  async createRevision(tx: Transaction, data: NewDeploymentRevision): Promise<DeploymentRevisionRecord> {
    const row = await tx.deploymentRevision.create({
      data: { ...data, trafficSplit: data.trafficSplit.map((share) => ({ ...share })) },
    });
    return toRevision(row);
  }

  async findRevisionsByIds(ids: readonly string[]): Promise<DeploymentRevisionRecord[]> {
    const rows = await this.db.prisma.deploymentRevision.findMany({ where: { id: { in: [...ids] } } });
    return rows.map(toRevision);
  }

  /** Every revision of the deployments, newest first within each, in one statement (for DataLoaders). */
  async findRevisionsByDeploymentIds(deploymentIds: readonly string[]): Promise<DeploymentRevisionRecord[]> {
    const rows = await this.db.prisma.deploymentRevision.findMany({
      where: { deploymentId: { in: [...deploymentIds] } },
      orderBy: [{ deploymentId: "asc" }, { revision: "desc" }],
    });
    return rows.map(toRevision);
  }
}
