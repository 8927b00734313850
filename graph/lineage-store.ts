/**
 * Pedigree's lineage graph, in lineage terms: nodes are versions, runs, features, commits, model
 * versions and deployments; edges always point upstream ➜ downstream and are valid over
 * [validFrom, validTo). Implementations: Postgres (recursive CTEs over the lineage edge table, the
 * system of record) and Neo4j (a projection of it). Both must pass graph/lineage-store.contract.ts.
 */

export type LineageNodeType = "DATASET_VERSION" | "FEATURE" | "CODE_COMMIT" | "RUN" | "MODEL_VERSION" | "DEPLOYMENT";
export type LineageEdgeKind = "CONSUMED" | "PRODUCED" | "SOURCE_OF" | "USED" | "BUILT_FROM" | "SERVES" | "PARENT_OF";
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
