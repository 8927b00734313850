import type { Database } from "../db/database.js";
import type { Transaction } from "../db/transaction.js";
import { type ChildOrderField, countsByParent, firstPagesByParent } from "../lib/first-pages-by-parent.js";
import type { PageQuery, SortDirection } from "../lib/paginate.js";
import { seesNoNamespace } from "../lib/visible-namespaces.js";
import {
  type RunFilter,
  type RunRecord,
  type RunStatus,
  type ValuePredicate,
  parseHyperparameters,
  parseLatestMetrics,
} from "./run-record.js";

export type { RunFilter, ValuePredicate };

export interface NewRun {
  jobId: string;
  externalId: string | null;
  parentRunId: string | null;
  commitId: string | null;
  status: RunStatus;
  hyperparameters: Record<string, unknown>;
  nominalTime: Date | null;
  startedAt: Date | null;
}

/** A run as read by Prisma or plain SQL: its JSON columns not yet checked. */
export type RunRow = Omit<RunRecord, "hyperparameters" | "latestMetrics"> & { hyperparameters: unknown; latestMetrics: unknown };

export function toRun(row: RunRow): RunRecord {
  return {
    ...row,
    hyperparameters: parseHyperparameters(row.hyperparameters),
    latestMetrics: parseLatestMetrics(row.latestMetrics),
  };
}

function jsonConditions(column: "hyperparameters" | "latestMetrics", predicates: ValuePredicate[] | undefined) {
  return (predicates ?? []).flatMap((predicate) => {
    // Latest metrics are stored as { key: { value, step, timestamp } }.
    const path = column === "latestMetrics" ? [predicate.key, "value"] : [predicate.key];
    const ops = { equals: predicate.eq, gt: predicate.gt, gte: predicate.gte, lt: predicate.lt, lte: predicate.lte };
    return Object.entries(ops)
      .filter(([, value]) => value !== undefined)
      .map(([op, value]) => ({ [column]: { path, [op]: value } }));
  });
}

function whereOf(filter: RunFilter) {
  return {
    AND: [
      ...(filter.namespace ? [{ job: { is: { namespace: { is: { name: filter.namespace } } } } }] : []),
      ...(filter.visibleNamespaceIds ? [{ job: { is: { namespaceId: { in: [...filter.visibleNamespaceIds] } } } }] : []),
      ...(filter.jobId ? [{ jobId: filter.jobId }] : []),
      ...(filter.status ? [{ status: filter.status }] : []),
      ...(filter.parentRunId ? [{ parentRunId: filter.parentRunId }] : []),
      ...(filter.commitId ? [{ commitId: filter.commitId }] : []),
      ...jsonConditions("hyperparameters", filter.hyperparameters),
      ...jsonConditions("latestMetrics", filter.metrics),
    ],
  };
}

export class RunRepository {
  constructor(private readonly db: Database) {}

  async findById(tx: Transaction, id: string): Promise<RunRecord | null> {
    const row = await tx.run.findUnique({ where: { id } });
    return row ? toRun(row) : null;
  }

  /** Reads the run and locks its row until the transaction ends (serializes metric merges). */
  async findByIdForUpdate(tx: Transaction, id: string): Promise<RunRecord | null> {
    const locked = await tx.$queryRaw<Array<{ id: string }>>`SELECT id::text FROM run WHERE id = ${id}::uuid FOR UPDATE`;
    return locked.length === 0 ? null : this.findById(tx, id);
  }

  async findByExternalId(tx: Transaction, externalId: string): Promise<RunRecord | null> {
    const row = await tx.run.findUnique({ where: { externalId } });
    return row ? toRun(row) : null;
  }

  async create(tx: Transaction, data: NewRun): Promise<RunRecord> {
    return toRun(await tx.run.create({ data: { ...data, hyperparameters: data.hyperparameters as object } }));
  }

  async update(
    tx: Transaction,
    id: string,
    data: {
      status?: RunStatus;
      errorMessage?: string | null;
      endedAt?: Date | null;
      startedAt?: Date | null;
      nominalTime?: Date | null;
      parentRunId?: string | null;
    },
  ): Promise<RunRecord> {
    return toRun(await tx.run.update({ where: { id }, data }));
  }

  async setLatestMetrics(tx: Transaction, id: string, latestMetrics: RunRecord["latestMetrics"]): Promise<RunRecord> {
    return toRun(await tx.run.update({ where: { id }, data: { latestMetrics: latestMetrics as object } }));
  }

  async findByIds(ids: readonly string[]): Promise<RunRecord[]> {
    const rows = await this.db.prisma.run.findMany({ where: { id: { in: [...ids] } } });
    return rows.map(toRun);
  }

  async list(filter: RunFilter, query: PageQuery): Promise<RunRecord[]> {
    if (seesNoNamespace(filter.visibleNamespaceIds)) return [];
    const rows = await this.db.prisma.run.findMany({
      where: { AND: [whereOf(filter), ...(query.afterWhere ? [query.afterWhere] : [])] } as never,
      orderBy: query.orderBy as never,
      take: query.take,
    });
    return rows.map(toRun);
  }

  async count(filter: RunFilter): Promise<number> {
    if (seesNoNamespace(filter.visibleNamespaceIds)) return 0;
    return this.db.prisma.run.count({ where: whereOf(filter) as never });
  }

  /**
   * The first `take` runs of each parent — a job (`runsByJob`) or a sweep run (`runsByParentRun`) —
   * ordered by `field` then id (two statements in all).
   */
  firstPagesBy<L extends "runsByJob" | "runsByParentRun">(
    list: L,
    parentIds: readonly string[],
    field: ChildOrderField<L>,
    direction: SortDirection,
    take: number,
  ): Promise<RunRecord[]> {
    return firstPagesByParent(
      (text, values) => this.db.pool.query(text, values),
      (ids) => this.findByIds(ids),
      list,
      parentIds,
      field,
      direction,
      take,
    );
  }

  /** Number of runs of each job (`runsByJob`) or sweep run (`runsByParentRun`), in one statement. */
  countBy(list: "runsByJob" | "runsByParentRun", parentIds: readonly string[]): Promise<Map<string, number>> {
    return countsByParent((text, values) => this.db.pool.query(text, values), list, parentIds);
  }
}
