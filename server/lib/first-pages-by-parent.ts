import type { SortDirection } from "./paginate.js";

/**
 * The child lists whose first pages are loaded for many parents at once. Table and column names
 * come only from this fixed table (never from input): the SQL below is built from it.
 */
export const CHILD_LISTS = {
  datasetVersionsByDataset: {
    table: "dataset_version",
    parent: "dataset_id",
    order: { version: "version", createdAt: "created_at" },
  },
  featuresByFeatureSet: {
    table: "feature",
    parent: "feature_set_id",
    order: { name: "name", createdAt: "created_at", updatedAt: "updated_at" },
  },
  runsByJob: {
    table: "run",
    parent: "job_id",
    order: { createdAt: "created_at", updatedAt: "updated_at" },
  },
  runsByParentRun: {
    table: "run",
    parent: "parent_run_id",
    order: { createdAt: "created_at", updatedAt: "updated_at" },
  },
} as const;

export type ChildList = keyof typeof CHILD_LISTS;
export type ChildOrderField<L extends ChildList> = keyof (typeof CHILD_LISTS)[L]["order"] & string;

/** Runs one parameterized statement (the repository passes its pool, so only it touches the database). */
export type RunQuery = (text: string, values: unknown[]) => Promise<{ rows: unknown[] }>;

function specOf(list: ChildList) {
  if (!Object.hasOwn(CHILD_LISTS, list)) throw new Error(`Unknown child list ${String(list)}`);
  return CHILD_LISTS[list];
}

function orderColumnOf(list: ChildList, field: string): string {
  const order: Record<string, string> = specOf(list).order;
  const column = Object.hasOwn(order, field) ? order[field] : undefined;
  if (!column) throw new Error(`Child list ${list} cannot be ordered by ${field}`);
  return column;
}

function sqlDirection(direction: SortDirection): "ASC" | "DESC" {
  if (direction === "asc") return "ASC";
  if (direction === "desc") return "DESC";
  throw new Error(`Unknown sort direction ${String(direction)}`);
}

/**
 * Ids of the first `$2` children of each parent in `$1` (uuid[]), ordered by the field then id
 * like `paginate` orders one parent's page. Returns rows `{ id, parentId }`, by parent then rank.
 */
export function firstPagesSql(list: ChildList, field: string, direction: SortDirection): string {
  const { table, parent } = specOf(list);
  const column = orderColumnOf(list, field);
  const dir = sqlDirection(direction);
  return `SELECT ranked.id::text AS id, ranked.parent::text AS "parentId"
FROM (
  SELECT id, "${parent}" AS parent,
         row_number() OVER (PARTITION BY "${parent}" ORDER BY "${column}" ${dir}, id ${dir}) AS rank
  FROM "${table}"
  WHERE "${parent}" = ANY($1::uuid[])
) ranked
WHERE ranked.rank <= $2
ORDER BY ranked.parent, ranked.rank`;
}

/** Number of children of each parent in `$1` (uuid[]): rows `{ parentId, count }`. */
export function countsByParentSql(list: ChildList): string {
  const { table, parent } = specOf(list);
  return `SELECT "${parent}"::text AS "parentId", count(*)::int AS count
FROM "${table}"
WHERE "${parent}" = ANY($1::uuid[])
GROUP BY "${parent}"`;
}

/**
 * The first `take` children of every parent, in two statements whatever the number of parents:
 * the ranked ids (one window query), then the rows through the repository's `findByIds`.
 * Rows come back grouped by parent, each group in page order.
 */
export async function firstPagesByParent<Row extends { id: string }, L extends ChildList>(
  runQuery: RunQuery,
  findByIds: (ids: readonly string[]) => Promise<Row[]>,
  list: L,
  parentIds: readonly string[],
  field: ChildOrderField<L>,
  direction: SortDirection,
  take: number,
): Promise<Row[]> {
  if (parentIds.length === 0 || take <= 0) return [];
  const { rows } = await runQuery(firstPagesSql(list, field, direction), [[...parentIds], take]);
  const ids = (rows as Array<{ id: string }>).map((row) => row.id);
  if (ids.length === 0) return [];
  const byId = new Map((await findByIds(ids)).map((row) => [row.id, row]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    return row ? [row] : [];
  });
}

/** Number of children of every parent (0 for none), in one `GROUP BY` statement. */
export async function countsByParent(
  runQuery: RunQuery,
  list: ChildList,
  parentIds: readonly string[],
): Promise<Map<string, number>> {
  if (parentIds.length === 0) return new Map();
  const { rows } = await runQuery(countsByParentSql(list), [[...parentIds]]);
  return new Map((rows as Array<{ parentId: string; count: number }>).map((row) => [row.parentId, Number(row.count)]));
}
