import type { GraphEdge, GraphNode } from "./graph-model";

/** The kind of the stand-in node that holds what did not fit. */
export const CLUSTER_KIND = "CLUSTER";

export interface ClusterData {
  /** How many nodes the cluster stands for. */
  count: number;
  /** What they have in common, e.g. "RUN at depth 4". */
  label: string;
  memberIds: string[];
}

export interface CollapsedGraph<Kind extends string, Data, EdgeKind extends string> {
  nodes: (GraphNode<Kind, Data> | GraphNode<typeof CLUSTER_KIND, ClusterData>)[];
  edges: GraphEdge<EdgeKind | typeof CLUSTER_KIND>[];
  /** Nodes folded into clusters (0 when everything fit). */
  hiddenCount: number;
}

export interface CollapseOptions<Kind extends string, Data> {
  /** Most nodes drawn one by one; clusters come on top. */
  maxNodes: number;
  /** Lower ranks are kept first (e.g. depth from the root). */
  rank: (node: GraphNode<Kind, Data>) => number;
  /** Nodes beyond maxNodes with the same key share one cluster. */
  groupKey: (node: GraphNode<Kind, Data>) => string;
}

/**
 * Keeps the `maxNodes` best-ranked nodes and folds the rest into one cluster node per group, so that
 * a graph of any size draws at most maxNodes + (number of groups) nodes. Edges into folded nodes are
 * rerouted to their cluster and deduplicated.
 */
export function collapseGraph<Kind extends string, Data, EdgeKind extends string>(
  nodes: readonly GraphNode<Kind, Data>[],
  edges: readonly GraphEdge<EdgeKind>[],
  options: CollapseOptions<Kind, Data>,
): CollapsedGraph<Kind, Data, EdgeKind> {
  if (nodes.length <= options.maxNodes) return { nodes: [...nodes], edges: [...edges], hiddenCount: 0 };
  const ordered = [...nodes].sort((left, right) => options.rank(left) - options.rank(right));
  const kept = ordered.slice(0, options.maxNodes);
  const clusters = new Map<string, GraphNode<typeof CLUSTER_KIND, ClusterData>>();
  const clusterOf = new Map<string, string>();
  for (const node of ordered.slice(options.maxNodes)) {
    const key = options.groupKey(node);
    const id = `cluster:${key}`;
    let cluster = clusters.get(id);
    if (!cluster) {
      cluster = { id, kind: CLUSTER_KIND, data: { count: 0, label: key, memberIds: [] } };
      clusters.set(id, cluster);
    }
    cluster.data.count += 1;
    cluster.data.memberIds.push(node.id);
    clusterOf.set(node.id, id);
  }
  const seen = new Set<string>();
  const rerouted: GraphEdge<EdgeKind | typeof CLUSTER_KIND>[] = [];
  for (const edge of edges) {
    const source = clusterOf.get(edge.source) ?? edge.source;
    const target = clusterOf.get(edge.target) ?? edge.target;
    if (source === target) continue;
    const folded = source !== edge.source || target !== edge.target;
    const id = folded ? `${source}->${target}` : edge.id;
    if (seen.has(id)) continue;
    seen.add(id);
    rerouted.push(folded ? { id, source, target, kind: CLUSTER_KIND } : edge);
  }
  return { nodes: [...kept, ...clusters.values()], edges: rerouted, hiddenCount: nodes.length - kept.length };
}
