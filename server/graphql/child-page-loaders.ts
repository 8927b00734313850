import DataLoader from "dataloader";
import { type Page, type PageRequest, type SortDirection, pageOfRows, pageSize } from "../lib/paginate.js";

/** Loads the first `take` children of each parent, ordered by `field` then id, all parents at once. */
export type FirstPagesFetch<Row, Field extends string> = (
  parentIds: readonly string[],
  field: Field,
  direction: SortDirection,
  take: number,
) => Promise<Row[]>;

/**
 * Per-request loaders for one child list (e.g. the versions of each dataset): the first page of
 * every parent of a tick in one batch — one DataLoader per (order, page size), created on first
 * use — and the children's counts in one `GROUP BY` statement per tick. Later pages (`after`)
 * page inside one parent with `paginate`; the cursors are the same.
 */
export function childPageLoaders<Row extends { id: string }, Field extends keyof Row & string>(
  fetchFirstPages: FirstPagesFetch<Row, Field>,
  countByParent: (parentIds: readonly string[]) => Promise<Map<string, number>>,
  parentOf: (row: Row) => string | null,
) {
  const pageLoaders = new Map<string, DataLoader<string, Row[]>>();
  const counts = new DataLoader<string, number>(async (parentIds) => {
    const byParent = await countByParent(parentIds);
    return parentIds.map((parentId) => byParent.get(parentId) ?? 0);
  });

  function loaderFor(field: Field, direction: SortDirection, take: number): DataLoader<string, Row[]> {
    const key = `${field}:${direction}:${take}`;
    let loader = pageLoaders.get(key);
    if (!loader) {
      loader = new DataLoader<string, Row[]>(async (parentIds) => {
        const rows = await fetchFirstPages(parentIds, field, direction, take);
        const byParent = new Map<string, Row[]>();
        for (const row of rows) {
          const parent = parentOf(row) ?? "";
          const list = byParent.get(parent);
          if (list) list.push(row);
          else byParent.set(parent, [row]);
        }
        return parentIds.map((parentId) => byParent.get(parentId) ?? []);
      });
      pageLoaders.set(key, loader);
    }
    return loader;
  }

  return {
    /** The first page (`after` not given) of one parent's children, batched with the tick's other parents. */
    async firstPage(parentId: string, request: PageRequest, field: Field, direction: SortDirection): Promise<Page<Row>> {
      const size = pageSize(request.first);
      const rows = size === 0 ? [] : await loaderFor(field, direction, size + 1).load(parentId);
      return pageOfRows(rows, size, field);
    },
    /** Number of one parent's children, batched with the tick's other parents. */
    count(parentId: string): Promise<number> {
      return counts.load(parentId);
    },
  };
}
