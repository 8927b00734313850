/**
 * Pedigree's lineage graph, in lineage terms: nodes are versions, runs, features, commits, model
 * versions and deployments; edges always point upstream ➜ downstream and are valid over
 * [validFrom, validTo). Implementations: Postgres (recursive CTEs over the lineage edge table, the
 * system of record) and Neo4j (a projection of it). Both must pass graph/lineage-store.contract.ts.
 */

export const LINEAGE_NODE_TYPES = [
  "DATASET_VERSION",
  "DATASET_FIELD",
  "FEATURE",
  "CODE_COMMIT",
  "RUN",
  "MODEL_VERSION",
  "DEPLOYMENT",
] as const;
export type LineageNodeType = (typeof LINEAGE_NODE_TYPES)[number];

/** `DERIVES` is column-level lineage: DATASET_FIELD ➜ DATASET_FIELD, with the transformation in `properties`. */
export const LINEAGE_EDGE_KINDS = [
  "CONSUMED",
  "PRODUCED",
  "SOURCE_OF",
  "USED",
  "BUILT_FROM",
  "SERVES",
  "PARENT_OF",
  "DERIVES",
] as const;
export type LineageEdgeKind = (typeof LINEAGE_EDGE_KINDS)[number];
export type LineageDirection = "UPSTREAM" | "DOWNSTREAM" | "BOTH";

export interface LineageNodeKey {
  type: LineageNodeType;
  /** Row key (UUID) of the node. */
  id: string;
}

export interface LineageGraphEdge {
  /** Row key (UUID) of the edge in the system of record. */
  id: string;
  upstream: LineageNodeKey;
  downstream: LineageNodeKey;
  kind: LineageEdgeKind;
  role: string | null;
  properties: Record<string, unknown>;
  validFrom: Date;
  validTo: Date | null;
}

export interface LineageGraphNode extends LineageNodeKey {
  /** Hops from the root (0 for the root itself). */
  depth: number;
}

export interface LineageGraph {
  /** The root first, then by depth, then by id. */
  nodes: LineageGraphNode[];
  /** Edges between returned nodes, ordered by id. */
  edges: LineageGraphEdge[];
  /** True when the node limit or the depth limit left reachable nodes out. */
  truncated: boolean;
}

/** Hard upper bounds; a request beyond them is a caller bug, checked before any query. */
export const MAX_TRAVERSAL_DEPTH = 20;
export const MAX_TRAVERSAL_NODES = 10_000;

export interface TraverseOptions {
  root: LineageNodeKey;
  direction: LineageDirection;
  /** Hops to follow, 1–MAX_TRAVERSAL_DEPTH. Required: an unbounded walk is never what a caller wants. */
  maxDepth: number;
  /** Most nodes to return, root included, 1–MAX_TRAVERSAL_NODES. */
  limit: number;
  /** Edges valid at this instant. @defaultValue now */
  asOf?: Date;
  /** Only follow edges of these kinds. @defaultValue every kind */
  edgeKinds?: readonly LineageEdgeKind[];
  /** Only return nodes of these types (the walk still passes through the others). @defaultValue every type */
  nodeTypes?: readonly LineageNodeType[];
}

export interface ShortestPathOptions {
  from: LineageNodeKey;
  to: LineageNodeKey;
  /** Most hops, 1–MAX_TRAVERSAL_DEPTH. Required for the same reason as in TraverseOptions. */
  maxDepth: number;
  /** Edges valid at this instant. @defaultValue now */
  asOf?: Date;
  /** Only follow edges of these kinds. @defaultValue every kind */
  edgeKinds?: readonly LineageEdgeKind[];
}

export interface LineagePath {
  /** `from` (depth 0) … `to`, in path order; a node's depth is its hop index. */
  nodes: LineageGraphNode[];
  /** In path order: edges[i] leads from nodes[i] to nodes[i + 1]. */
  edges: LineageGraphEdge[];
}

export interface LineageStore {
  /** Store name for logs and metrics ("postgres", "neo4j"). */
  readonly name: string;
  /**
   * Records edges (idempotent on edge id: recording an edge again changes nothing, except that a
   * later validTo closes it). The Postgres store's edges are written by the domain services; this is
   * how the Neo4j projection and the conformance suite feed a store.
   */
  recordEdges(edges: readonly LineageGraphEdge[]): Promise<void>;
  /**
   * Walks from `root` breadth-first. A root without edges comes back alone (not an error); cycles
   * terminate; each node appears once, at its smallest depth.
   */
  traverse(options: TraverseOptions): Promise<LineageGraph>;
  /**
   * A shortest directed path following edges upstream ➜ downstream from `from` to `to`, over edges
   * valid at `asOf`; null when there is none within maxDepth. `from` equal to `to` (same type and
   * id) gives a one-node path. Among equally short paths the answer is the one whose sequence of
   * edge ids, read from `from` to `to`, is smallest (SHORTEST_PATH_TIE_RULE).
   */
  shortestPath(options: ShortestPathOptions): Promise<LineagePath | null>;
  close(): Promise<void>;
}

/** Checks traversal bounds (both stores call it first, so that they fail alike). */
export function checkTraverseOptions(options: TraverseOptions): void {
  if (!Number.isInteger(options.maxDepth) || options.maxDepth < 1 || options.maxDepth > MAX_TRAVERSAL_DEPTH) {
    throw new RangeError(`maxDepth must be an integer from 1 to ${MAX_TRAVERSAL_DEPTH}; got ${options.maxDepth}`);
  }
  if (!Number.isInteger(options.limit) || options.limit < 1 || options.limit > MAX_TRAVERSAL_NODES) {
    throw new RangeError(`limit must be an integer from 1 to ${MAX_TRAVERSAL_NODES}; got ${options.limit}`);
  }
}

/** Checks shortest-path bounds (both stores call it first, so that they fail alike). */
export function checkShortestPathOptions(options: ShortestPathOptions): void {
  if (!Number.isInteger(options.maxDepth) || options.maxDepth < 1 || options.maxDepth > MAX_TRAVERSAL_DEPTH) {
    throw new RangeError(`maxDepth must be an integer from 1 to ${MAX_TRAVERSAL_DEPTH}; got ${options.maxDepth}`);
  }
  if (options.asOf !== undefined && !(options.asOf instanceof Date && Number.isFinite(options.asOf.getTime()))) {
    throw new RangeError(`asOf must be a valid Date; got ${String(options.asOf)}`);
  }
}

/**
 * How stores choose among equally short paths: the path whose sequence of edge ids, compared
 * element by element from `from` towards `to`, is smallest in code-unit order (for lowercase UUIDs
 * that is also Postgres' uuid order). Edge ids rather than node ids, because edge ids are unique
 * even between the same two nodes (parallel edges of different kinds), so exactly one path wins.
 */
export const SHORTEST_PATH_TIE_RULE = "smallest edge-id sequence, compared from `from`";

/** One edge as a breadth-first step sees it: enough to extend the search, nothing to return. */
export interface LineageStep {
  id: string;
  upstream: LineageNodeKey;
  downstream: LineageNodeKey;
}

/** The edges valid at the search's asOf and of its kinds that leave any of the frontier nodes. */
export type ExpandDownstream = (frontier: readonly LineageNodeKey[]) => Promise<readonly LineageStep[]>;

/** A shortest path before its edges are loaded: the nodes and the ids of the edges between them. */
export interface LineagePathSkeleton {
  nodes: LineageGraphNode[];
  edgeIds: string[];
}

/**
 * Breadth-first shortest path, one `expand` call per level, parent pointers kept here; both stores
 * use it so that they break ties alike (SHORTEST_PATH_TIE_RULE). Each level is ranked: a node's
 * rank is the order of its smallest edge-id sequence from `from` among the nodes of its level. A
 * new node's best parent edge is the one with the smallest (rank of its upstream node, edge id):
 * two different upstream nodes at one level have different, equally long best sequences, so the
 * rank decides, and the edge id only between parallel edges. Each node is visited once, so cycles
 * terminate and the work is linear in the edges seen, never in the number of paths.
 */
export async function searchShortestPath(
  options: ShortestPathOptions,
  expand: ExpandDownstream,
): Promise<LineagePathSkeleton | null> {
  checkShortestPathOptions(options);
  const fromKey = pathNodeKey(options.from);
  const toKey = pathNodeKey(options.to);
  const root: LineageGraphNode = { type: options.from.type, id: options.from.id, depth: 0 };
  if (fromKey === toKey) return { nodes: [root], edgeIds: [] };
  // Every node reached so far, with the edge that reached it on its best path (none for the root).
  const reached = new Map<string, PathStep>([[fromKey, { node: root, edgeId: null, upstreamKey: null, rank: 0 }]]);
  let frontier: PathStep[] = [reached.get(fromKey)!];
  for (let depth = 1; depth <= options.maxDepth && frontier.length > 0; depth++) {
    const ranks = new Map(frontier.map((step) => [pathNodeKey(step.node), step.rank]));
    const best = new Map<string, PathStep & { edgeId: string }>();
    for (const edge of await expand(frontier.map((step) => step.node))) {
      const downstreamKey = pathNodeKey(edge.downstream);
      if (reached.has(downstreamKey)) continue; // already at a smaller depth: not on a shortest path
      const upstreamKey = pathNodeKey(edge.upstream);
      const rank = ranks.get(upstreamKey);
      if (rank === undefined) continue; // not from this frontier (the store's bug); never worth a wrong path
      const known = best.get(downstreamKey);
      if (!known || rank < known.rank || (rank === known.rank && edge.id < known.edgeId)) {
        const node = { type: edge.downstream.type, id: edge.downstream.id, depth };
        best.set(downstreamKey, { node, edgeId: edge.id, upstreamKey, rank });
      }
    }
    // Re-rank the new level by (rank of the parent, edge id): the order of their best sequences.
    frontier = [...best.values()].sort((a, b) => a.rank - b.rank || compareCodeUnits(a.edgeId, b.edgeId));
    frontier.forEach((step, index) => {
      step.rank = index;
      reached.set(pathNodeKey(step.node), step);
    });
    if (best.has(toKey)) return unwind(reached, toKey);
  }
  return null;
}

interface PathStep {
  node: LineageGraphNode;
  /** The edge into `node` on its best path; null for the root. */
  edgeId: string | null;
  upstreamKey: string | null;
  /** Position of the node's best edge-id sequence among those of its level. */
  rank: number;
}

function pathNodeKey(node: LineageNodeKey): string {
  return `${node.type}:${node.id}`;
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function unwind(reached: Map<string, PathStep>, toKey: string): LineagePathSkeleton {
  const nodes: LineageGraphNode[] = [];
  const edgeIds: string[] = [];
  for (let step = reached.get(toKey); step; step = step.upstreamKey === null ? undefined : reached.get(step.upstreamKey)) {
    nodes.push(step.node);
    if (step.edgeId !== null) edgeIds.push(step.edgeId);
  }
  return { nodes: nodes.reverse(), edgeIds: edgeIds.reverse() };
}
