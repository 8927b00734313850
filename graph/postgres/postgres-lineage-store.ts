import { readFileSync } from "node:fs";
import {
  type LineageEdgeKind,
  type LineageGraph,
  type LineageGraphEdge,
  type LineageGraphNode,
  type LineageNodeType,
  type LineagePath,
  type LineageStep,
  type LineageStore,
  type ShortestPathOptions,
  type TraverseOptions,
  checkTraverseOptions,
  searchShortestPath,
} from "../lineage-store.js";

const query = (name: string) => readFileSync(new URL(`./queries/${name}.sql`, import.meta.url), "utf8");
const TRAVERSE_DOWNSTREAM = query("traverse-downstream");
const TRAVERSE_UPSTREAM = query("traverse-upstream");
const EDGES_AMONG = query("edges-among");
const RECORD_EDGES = query("record-edges");
const EXPAND_DOWNSTREAM_EDGES = query("expand-downstream-edges");
const EDGES_BY_ID = query("edges-by-id");
const EDGES_AFTER = query("edges-after");

/** The one method of a `pg` Pool or Client this store needs; the caller owns the connection. */
export interface SqlRunner {
  query<Row extends object>(text: string, values: unknown[]): Promise<{ rows: Row[] }>;
}

interface NodeRow {
  id: string;
  type: LineageNodeType;
  depth: number;
}

interface StepRow {
  id: string;
  upstream_type: LineageNodeType;
  upstream_id: string;
  downstream_type: LineageNodeType;
  downstream_id: string;
}

interface EdgeRow {
  id: string;
  upstream_type: LineageNodeType;
  upstream_id: string;
  downstream_type: LineageNodeType;
  downstream_id: string;
  kind: LineageEdgeKind;
  role: string | null;
  properties: Record<string, unknown> | null;
  valid_from: Date;
  valid_to: Date | null;
}

function toEdge(row: EdgeRow): LineageGraphEdge {
  return {
    id: row.id,
    upstream: { type: row.upstream_type, id: row.upstream_id },
    downstream: { type: row.downstream_type, id: row.downstream_id },
    kind: row.kind,
    role: row.role,
    properties: row.properties ?? {},
    validFrom: row.valid_from,
    validTo: row.valid_to,
  };
}

const byDepthThenId = (a: LineageGraphNode, b: LineageGraphNode) => a.depth - b.depth || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Each node at its first (so smallest) depth, from walk rows in depth order. */
function firstDepths(rows: readonly NodeRow[]): Map<string, NodeRow> {
  const first = new Map<string, NodeRow>();
  for (const row of rows) if (!first.has(row.id)) first.set(row.id, row);
  return first;
}

/**
 * The nodes of a walk's rows (in depth order) once they decide the answer, or undefined when the
 * rows ran out first. Decided: a level completes with `limit` wanted nodes besides the root (the
 * answer overflows, and deeper nodes sort after it), or a node appears past maxDepth.
 */
function firstDepthsUntilDecided(
  rows: readonly NodeRow[],
  options: TraverseOptions,
  stopAtFirstBeyond: boolean,
): Map<string, NodeRow> | undefined {
  const first = new Map<string, NodeRow>();
  let level = 0;
  let wanted = 0;
  for (const row of rows) {
    if (row.depth > level) {
      if (wanted >= options.limit) return first;
      level = row.depth;
    }
    if (first.has(row.id)) continue;
    first.set(row.id, row);
    if (row.depth > options.maxDepth) {
      if (stopAtFirstBeyond) return first;
    } else if (row.depth > 0 && (!options.nodeTypes || options.nodeTypes.includes(row.type))) {
      wanted++;
    }
  }
  return undefined;
}

/**
 * Lineage over the system of record: recursive CTEs on `lineage_edge` (graph/postgres/queries/).
 * Used when no Neo4j is configured, including the embedded PGlite mode, and as the reference the
 * Neo4j projection is checked against.
 */
export class PostgresLineageStore implements LineageStore {
  readonly name = "postgres";

  /** @param sql the app's pool (in embedded mode the single PGlite connection must be shared). */
  constructor(private readonly sql: SqlRunner) {}

  async recordEdges(edges: readonly LineageGraphEdge[]): Promise<void> {
    if (edges.length === 0) return;
    await this.sql.query(RECORD_EDGES, [
      edges.map((e) => e.id),
      edges.map((e) => e.upstream.type),
      edges.map((e) => e.upstream.id),
      edges.map((e) => e.downstream.type),
      edges.map((e) => e.downstream.id),
      edges.map((e) => e.kind),
      edges.map((e) => e.role),
      edges.map((e) => JSON.stringify(e.properties ?? {})),
      edges.map((e) => e.validFrom),
      edges.map((e) => e.validTo),
    ]);
  }

  async traverse(options: TraverseOptions): Promise<LineageGraph> {
    checkTraverseOptions(options);
    const asOf = options.asOf ?? new Date();
    const kinds = [...(options.edgeKinds ?? [])];
    const directions = options.direction === "BOTH" ? ["DOWNSTREAM", "UPSTREAM"] : [options.direction];
    // Walk one level past maxDepth: a node first seen there means the answer was cut short.
    const depths = new Map<string, NodeRow>();
    for (const direction of directions) {
      const walkSql = direction === "DOWNSTREAM" ? TRAVERSE_DOWNSTREAM : TRAVERSE_UPSTREAM;
      const firstDepths = await this.walk(walkSql, options, asOf, kinds, directions.length === 1);
      for (const row of firstDepths.values()) {
        const known = depths.get(row.id);
        if (!known || row.depth < known.depth) depths.set(row.id, row);
      }
    }
    const reached = [...depths.values()].map((row) => ({ type: row.type, id: row.id, depth: row.depth }));
    const beyondDepth = reached.some((n) => n.depth > options.maxDepth);
    const wanted = reached
      .filter((n) => n.depth <= options.maxDepth)
      .filter((n) => n.depth === 0 || !options.nodeTypes || options.nodeTypes.includes(n.type))
      .sort(byDepthThenId);
    const nodes = wanted.slice(0, options.limit);
    const { rows: edgeRows } = await this.sql.query<EdgeRow>(EDGES_AMONG, [nodes.map((n) => n.id), asOf, kinds]);
    return { nodes, edges: edgeRows.map(toEdge), truncated: beyondDepth || wanted.length > nodes.length };
  }

  /**
   * One direction's walk, read in depth order until the answer is decided: the level at which the
   * wanted nodes overflow `limit` is complete, or (one direction only) a node shows up past
   * maxDepth, or the walk is exhausted. Reads a few times the limit first, then twice as many rows
   * each time the level in reach is not yet complete (a hub's first level can hold thousands of
   * nodes), so a capped walk reads at most about twice what decides it, not the whole closure.
   * BOTH merges two walks, and a node past maxDepth here may be near in the other: then the extra
   * level is read whole.
   */
  private async walk(
    walkSql: string,
    options: TraverseOptions,
    asOf: Date,
    kinds: string[],
    stopAtFirstBeyond: boolean,
  ): Promise<Map<string, NodeRow>> {
    let rowLimit = Math.max(256, options.limit * 4);
    for (;;) {
      const { rows } = await this.sql.query<NodeRow>(walkSql, [
        options.root.id,
        options.root.type,
        options.maxDepth + 1,
        asOf,
        kinds,
        rowLimit,
      ]);
      const decided = firstDepthsUntilDecided(rows, options, stopAtFirstBeyond);
      if (decided || rows.length < rowLimit) return decided ?? firstDepths(rows);
      rowLimit *= 2;
    }
  }

  /**
   * Breadth-first, one query per level (a recursive CTE would enumerate paths, exponential on dense
   * graphs); parent pointers and the tie rule live in searchShortestPath, shared with Neo4j. The
   * path's full edges are loaded once at the end.
   */
  async shortestPath(options: ShortestPathOptions): Promise<LineagePath | null> {
    const asOf = options.asOf ?? new Date();
    const kinds = [...(options.edgeKinds ?? [])];
    const skeleton = await searchShortestPath(options, async (frontier) => {
      const { rows } = await this.sql.query<StepRow>(EXPAND_DOWNSTREAM_EDGES, [
        frontier.map((n) => n.id),
        frontier.map((n) => n.type),
        asOf,
        kinds,
      ]);
      return rows.map(
        (row): LineageStep => ({
          id: row.id,
          upstream: { type: row.upstream_type, id: row.upstream_id },
          downstream: { type: row.downstream_type, id: row.downstream_id },
        }),
      );
    });
    if (!skeleton) return null;
    if (skeleton.edgeIds.length === 0) return { nodes: skeleton.nodes, edges: [] };
    const { rows } = await this.sql.query<EdgeRow>(EDGES_BY_ID, [skeleton.edgeIds]);
    const byId = new Map(rows.map((row) => [row.id, toEdge(row)]));
    const edges = skeleton.edgeIds.map((id) => {
      const edge = byId.get(id);
      if (!edge) throw new Error(`Lineage edge ${id} disappeared while its shortest path was being read`);
      return edge;
    });
    return { nodes: skeleton.nodes, edges };
  }

  /** Every recorded edge in id order, a page after `afterId` at a time (the source of a projection rebuild). */
  async edgesAfter(afterId: string, limit: number): Promise<LineageGraphEdge[]> {
    const { rows } = await this.sql.query<EdgeRow>(EDGES_AFTER, [afterId, limit]);
    return rows.map(toEdge);
  }

  async close(): Promise<void> {
    // The connection belongs to the caller.
  }
}
