import ELK, { type ElkExtendedEdge, type ElkNode } from "elkjs/lib/elk-api.js";
import { type GraphEdge, type GraphNode, type GraphPositions, NODE_HEIGHT, NODE_WIDTH, type Point } from "./graph-model";

let elk: InstanceType<typeof ELK> | undefined;

function layoutEngine(): InstanceType<typeof ELK> {
  elk ??= new ELK({ workerFactory: () => new Worker(new URL("./elk.worker.ts", import.meta.url)) });
  return elk;
}

/** Cheaper settings for big graphs: a layout that arrives beats a perfect one that doesn't. */
function layoutOptions(nodeCount: number): Record<string, string> {
  return {
    "elk.algorithm": "layered",
    "elk.direction": "RIGHT",
    "elk.edgeRouting": "POLYLINE",
    "elk.spacing.nodeNode": "14",
    "elk.layered.spacing.nodeNodeBetweenLayers": "70",
    "elk.layered.nodePlacement.strategy": nodeCount > 400 ? "SIMPLE" : "BRANDES_KOEPF",
    "elk.layered.thoroughness": nodeCount > 400 ? "1" : "7",
    "elk.separateConnectedComponents": "true",
  };
}

/**
 * Layered left-to-right layout (upstream on the left) computed by ELK in a web worker. Edges whose
 * ends are not among the nodes are ignored.
 */
export async function layoutGraph<Kind extends string>(
  nodes: readonly GraphNode<Kind, unknown>[],
  edges: readonly GraphEdge<string>[],
): Promise<GraphPositions> {
  const ids = new Set(nodes.map((node) => node.id));
  const graph: ElkNode = {
    id: "root",
    layoutOptions: layoutOptions(nodes.length),
    children: nodes.map((node) => ({ id: node.id, width: NODE_WIDTH, height: NODE_HEIGHT })),
    edges: edges
      .filter((edge) => ids.has(edge.source) && ids.has(edge.target))
      .map((edge): ElkExtendedEdge => ({ id: edge.id, sources: [edge.source], targets: [edge.target] })),
  };
  const laidOut = await layoutEngine().layout(graph);
  const positions = new Map<string, Point>();
  for (const child of laidOut.children ?? []) positions.set(child.id, { x: child.x ?? 0, y: child.y ?? 0 });
  return positions;
}
