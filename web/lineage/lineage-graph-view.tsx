"use client";

import { Background, Controls, type Edge, type NodeChange, ReactFlow, useReactFlow } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { useEffect, useMemo, useRef } from "react";
import { CLUSTER_KIND, collapseGraph } from "../graph/collapse-graph";
import type { GraphEdge, GraphNode, GraphPositions } from "../graph/graph-model";
import { useGraphLayout } from "../graph/use-graph-layout";
import type { LineageEdgeKind, LineageNodeType } from "../gql/graphql";
import type { LineageEdgeView, LineageNodeView } from "./lineage-model";
import { type ClusterFlowNode, LINEAGE_NODE_TYPES, type LineageFlowNode, type LineageNodeFlags } from "./lineage-node-renderers";

/** Beyond this many visible nodes the rest fold into clusters: drawing stays fast at any size. */
export const MAX_DRAWN_NODES = 1000;

export interface LineageGraphViewProps {
  nodes: readonly LineageNodeView[];
  edges: readonly LineageEdgeView[];
  rootId: string;
  selectedId: string | null;
  /** Highlighted impact set (null: nothing highlighted). */
  impactIds: ReadonlySet<string> | null;
  onSelect: (nodeId: string | null) => void;
  /** Reports how many nodes were folded into clusters. */
  onCollapsed: (hiddenCount: number) => void;
  onLayoutPending: (pending: boolean) => void;
}

type FlowNode = LineageFlowNode | ClusterFlowNode;

function sameFlags(left: LineageNodeFlags, right: LineageNodeFlags): boolean {
  return (
    left.root === right.root && left.selected === right.selected && left.impact === right.impact && left.dimmed === right.dimmed
  );
}

/** Fits the viewport once per new layout (not on highlight or selection). */
function FitOnLayout(props: { positions: GraphPositions | null }) {
  const flow = useReactFlow();
  useEffect(() => {
    if (props.positions && props.positions.size > 0) void flow.fitView({ padding: 0.1, maxZoom: 1.2, duration: 0 });
  }, [props.positions, flow]);
  return null;
}

export function LineageGraphView(props: LineageGraphViewProps) {
  const { nodes, edges, rootId, selectedId, impactIds, onSelect, onCollapsed, onLayoutPending } = props;

  const collapsed = useMemo(() => {
    const graphNodes: GraphNode<LineageNodeType, LineageNodeView>[] = nodes.map((view) => ({
      id: view.id,
      kind: view.type,
      data: view,
    }));
    const graphEdges: GraphEdge<LineageEdgeKind>[] = edges.map((edge) => ({
      id: edge.id,
      source: edge.source,
      target: edge.target,
      kind: edge.kind,
    }));
    return collapseGraph(graphNodes, graphEdges, {
      maxNodes: MAX_DRAWN_NODES,
      rank: (node) => (node.id === rootId ? -1 : node.data.depth),
      groupKey: (node) => `${node.kind.toLowerCase().replace("_", " ")} at depth ${node.data.depth}`,
    });
  }, [nodes, edges, rootId]);

  useEffect(() => onCollapsed(collapsed.hiddenCount), [collapsed.hiddenCount, onCollapsed]);
  const layout = useGraphLayout(collapsed.nodes, collapsed.edges);
  useEffect(() => onLayoutPending(layout.pending), [layout.pending, onLayoutPending]);

  // Node objects are reused while their position and flags are unchanged, so a highlight only
  // re-renders the nodes whose look changes.
  const cache = useRef(new Map<string, FlowNode>());
  const flowNodes = useMemo(() => {
    const positions = layout.positions;
    if (!positions) return [];
    const next = new Map<string, FlowNode>();
    const result: FlowNode[] = [];
    for (const node of collapsed.nodes) {
      const position = positions.get(node.id);
      if (!position) continue;
      const previous = cache.current.get(node.id);
      let flowNode: FlowNode;
      if (node.kind === CLUSTER_KIND) {
        flowNode =
          previous && previous.position === position
            ? previous
            : { id: node.id, type: CLUSTER_KIND, position, data: { cluster: node.data }, selectable: false };
      } else {
        const flags: LineageNodeFlags = {
          root: node.id === rootId,
          selected: node.id === selectedId,
          impact: impactIds?.has(node.id) ?? false,
          dimmed: impactIds ? !impactIds.has(node.id) : false,
        };
        const reusable =
          previous &&
          previous.type !== CLUSTER_KIND &&
          previous.position === position &&
          previous.data.view === node.data &&
          sameFlags(previous.data.flags, flags);
        flowNode = reusable
          ? previous
          : {
              id: node.id,
              type: node.kind,
              position,
              data: { view: node.data, flags },
              selected: flags.selected,
              ariaLabel: `${node.kind.toLowerCase().replace("_", " ")} ${node.data.title}`,
            };
      }
      next.set(node.id, flowNode);
      result.push(flowNode);
    }
    cache.current = next;
    return result;
  }, [collapsed.nodes, layout.positions, rootId, selectedId, impactIds]);

  const flowEdges = useMemo<Edge[]>(
    () =>
      collapsed.edges.map((edge) => {
        const highlighted = impactIds?.has(edge.source) && impactIds.has(edge.target);
        return {
          id: edge.id,
          source: edge.source,
          target: edge.target,
          label: undefined,
          style: highlighted ? { stroke: "var(--impact)", strokeWidth: 2 } : impactIds ? { opacity: 0.2 } : undefined,
          ariaLabel: `${edge.kind.toLowerCase()} edge`,
        };
      }),
    [collapsed.edges, impactIds],
  );

  const onNodesChange = (changes: NodeChange<FlowNode>[]) => {
    for (const change of changes) {
      if (change.type === "select" && change.selected && !change.id.startsWith("cluster:")) onSelect(change.id);
    }
  };

  if (layout.error) return <p role="alert">The graph could not be laid out: {layout.error}</p>;
  return (
    <ReactFlow<FlowNode, Edge>
      nodes={flowNodes}
      edges={flowEdges}
      nodeTypes={LINEAGE_NODE_TYPES}
      onNodesChange={onNodesChange}
      onPaneClick={() => onSelect(null)}
      nodesDraggable={false}
      nodesConnectable={false}
      onlyRenderVisibleElements
      minZoom={0.02}
      maxZoom={2}
      aria-label="Lineage graph"
    >
      <FitOnLayout positions={layout.positions} />
      <Background />
      <Controls showInteractive={false} />
    </ReactFlow>
  );
}
