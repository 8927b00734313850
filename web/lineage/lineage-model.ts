import type { LineageEdgeKind, LineageNodeFieldsFragment, LineageNodeType } from "../gql/graphql";

/** What the explorer keeps of one lineage node. */
export interface LineageNodeView {
  id: string;
  type: LineageNodeType;
  /** Hops from the root of the first answer that contained it. */
  depth: number;
  title: string;
  subtitle: string;
  /** Shown in the details panel, in order. */
  facts: [string, string][];
}

export interface LineageEdgeView {
  id: string;
  source: string;
  target: string;
  kind: LineageEdgeKind;
  role: string | null;
  validFrom: string;
  validTo: string | null;
}

export interface LineageGraphData {
  nodes: ReadonlyMap<string, LineageNodeView>;
  edges: ReadonlyMap<string, LineageEdgeView>;
  truncated: boolean;
}

/** The shape of one `lineage(...)` answer, as the operations in lineage-operations.ts fetch it. */
export interface LineageAnswer {
  truncated: boolean;
  nodes: readonly LineageNodeFieldsFragment[];
  edges: readonly {
    upstreamId: string;
    downstreamId: string;
    kind: LineageEdgeKind;
    role?: string | null;
    validFrom: string;
    validTo?: string | null;
  }[];
}

const shortSha = (sha: string) => sha.slice(0, 10);

/** Names a node the way people say it: "churn-model v3", "train-churn run (COMPLETED)". */
export function toNodeView(fragment: LineageNodeFieldsFragment): LineageNodeView {
  const base = { id: fragment.id, type: fragment.type, depth: fragment.depth };
  const node = fragment.node;
  switch (node?.__typename) {
    case "DatasetVersion":
      return {
        ...base,
        title: `${node.dataset.name} v${node.version}`,
        subtitle: node.dataset.namespace.name,
        facts: [
          ["Dataset", node.dataset.name],
          ["Version", String(node.version)],
          ["Digest", node.digest],
        ],
      };
    case "Run":
      return {
        ...base,
        title: `${node.job.name} run`,
        subtitle: `${node.runStatus.toLowerCase()} · ${node.createdAt.slice(0, 10)}`,
        facts: [
          ["Job", node.job.name],
          ["Status", node.runStatus],
          ["External id", node.externalId ?? "—"],
          ["Created", node.createdAt],
        ],
      };
    case "ModelVersion":
      return {
        ...base,
        title: `${node.model.name} v${node.version}`,
        subtitle: node.aliases.length > 0 ? node.aliases.join(", ") : node.modelVersionStatus.toLowerCase(),
        facts: [
          ["Model", node.model.name],
          ["Version", String(node.version)],
          ["Aliases", node.aliases.join(", ") || "—"],
          ["Status", node.modelVersionStatus],
        ],
      };
    case "Deployment":
      return {
        ...base,
        title: node.name,
        subtitle: `${node.environment} · ${node.namespace.name}`,
        facts: [
          ["Deployment", node.name],
          ["Environment", node.environment],
          ["Namespace", node.namespace.name],
        ],
      };
    case "Feature":
      return {
        ...base,
        title: node.name,
        subtitle: `${node.featureSet.name} · ${node.dtype}`,
        facts: [
          ["Feature", node.name],
          ["Feature set", node.featureSet.name],
          ["Type", node.dtype],
        ],
      };
    case "CodeCommit":
      return {
        ...base,
        title: shortSha(node.sha),
        subtitle: node.branch ? `${node.repository} · ${node.branch}` : node.repository,
        facts: [
          ["Repository", node.repository],
          ["SHA", node.sha],
          ["Branch", node.branch ?? "—"],
        ],
      };
    case "DatasetField":
      return {
        ...base,
        title: node.name,
        subtitle: `${node.datasetVersion.dataset.name} v${node.datasetVersion.version}`,
        facts: [
          ["Column", node.name],
          ["Type", node.dataType ?? "—"],
          ["Dataset", `${node.datasetVersion.dataset.name} v${node.datasetVersion.version}`],
        ],
      };
    default:
      // The node was deleted or is not visible to this token: keep it in the graph, say so.
      return { ...base, title: fragment.type.toLowerCase(), subtitle: "not readable", facts: [["Id", fragment.id]] };
  }
}

export function edgeId(upstreamId: string, downstreamId: string, kind: LineageEdgeKind): string {
  return `${upstreamId}>${kind}>${downstreamId}`;
}

export const EMPTY_GRAPH: LineageGraphData = { nodes: new Map(), edges: new Map(), truncated: false };

/**
 * Adds an answer to what is already shown. Nodes already present keep their depth (the distance
 * from the root the user chose), so an expansion never reshuffles the existing layers.
 */
export function mergeLineage(current: LineageGraphData, answer: LineageAnswer, depthOffset = 0): LineageGraphData {
  const nodes = new Map(current.nodes);
  for (const fragment of answer.nodes) {
    if (nodes.has(fragment.id)) continue;
    const view = toNodeView(fragment);
    nodes.set(fragment.id, { ...view, depth: view.depth + depthOffset });
  }
  const edges = new Map(current.edges);
  for (const edge of answer.edges) {
    const id = edgeId(edge.upstreamId, edge.downstreamId, edge.kind);
    if (edges.has(id)) continue;
    edges.set(id, {
      id,
      source: edge.upstreamId,
      target: edge.downstreamId,
      kind: edge.kind,
      role: edge.role ?? null,
      validFrom: edge.validFrom,
      validTo: edge.validTo ?? null,
    });
  }
  return { nodes, edges, truncated: current.truncated || answer.truncated };
}

/** Everything downstream of `rootId` along the given edges, the root included: its impact set. */
export function impactSet(rootId: string, edges: Iterable<LineageEdgeView>): Set<string> {
  const outgoing = new Map<string, string[]>();
  for (const edge of edges) {
    const targets = outgoing.get(edge.source);
    if (targets) targets.push(edge.target);
    else outgoing.set(edge.source, [edge.target]);
  }
  const reached = new Set([rootId]);
  const queue = [rootId];
  while (queue.length > 0) {
    const next = queue.pop()!;
    for (const target of outgoing.get(next) ?? []) {
      if (reached.has(target)) continue;
      reached.add(target);
      queue.push(target);
    }
  }
  return reached;
}

/** When the graph changed: every edge start and end, in ms, ascending, without repeats. */
export function changeMoments(edges: Iterable<LineageEdgeView>): number[] {
  const moments = new Set<number>();
  for (const edge of edges) {
    moments.add(Date.parse(edge.validFrom));
    if (edge.validTo) moments.add(Date.parse(edge.validTo));
  }
  return [...moments].sort((left, right) => left - right);
}

/** The union of two ascending moment lists. */
export function mergeMoments(left: readonly number[], right: readonly number[]): number[] {
  return [...new Set([...left, ...right])].sort((a, b) => a - b);
}
