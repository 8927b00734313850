"use client";

import { Handle, type Node, type NodeProps, type NodeTypes, Position } from "@xyflow/react";
import { type CSSProperties, memo } from "react";
import { CLUSTER_KIND, type ClusterData } from "../graph/collapse-graph";
import type { LineageNodeType } from "../gql/graphql";
import type { LineageNodeView } from "./lineage-model";
import { ALL_NODE_TYPES, NODE_KINDS } from "./node-kinds";

/** How a node is drawn now: root of the view, selected, in the highlighted impact set, or dimmed. */
export interface LineageNodeFlags {
  root: boolean;
  selected: boolean;
  impact: boolean;
  dimmed: boolean;
}

export type LineageFlowNode = Node<{ view: LineageNodeView; flags: LineageNodeFlags }, LineageNodeType>;
export type ClusterFlowNode = Node<{ cluster: ClusterData }, typeof CLUSTER_KIND>;

function classNames(flags: LineageNodeFlags): string {
  return ["lineage-node", flags.root && "root", flags.selected && "selected", flags.impact && "impact", flags.dimmed && "dimmed"]
    .filter(Boolean)
    .join(" ");
}

/**
 * The renderer of every lineage node kind: one frame, the kind's colour and tag (React Flow passes
 * the kind as `type`). Memoized: a node re-renders only when its own data changes.
 */
const LineageNodeRenderer = memo(function LineageNodeRenderer({ data, type }: NodeProps<LineageFlowNode>) {
  const info = NODE_KINDS[type];
  const style = { "--kind-color": `var(${info.colorVar})` } as CSSProperties;
  return (
    <div className={classNames(data.flags)} style={style} data-kind={type} data-testid="lineage-node">
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <div className="kind-tag" style={{ color: `var(${info.colorVar})` }}>
        {info.label}
      </div>
      <div className="title" title={data.view.title}>
        {data.view.title}
      </div>
      <div className="subtitle">{data.view.subtitle}</div>
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
});

const ClusterRenderer = memo(function ClusterRenderer({ data }: NodeProps<ClusterFlowNode>) {
  const style = { "--kind-color": "var(--kind-cluster)" } as CSSProperties;
  return (
    <div className="lineage-node" style={style} data-testid="lineage-cluster">
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <div className="title">+{data.cluster.count.toLocaleString()} more</div>
      <div className="subtitle">{data.cluster.label}</div>
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
});

/** Defined once, outside any component, as React Flow requires for stable node types. */
export const LINEAGE_NODE_TYPES: NodeTypes = Object.fromEntries([
  ...ALL_NODE_TYPES.map((kind) => [kind, LineageNodeRenderer]),
  [CLUSTER_KIND, ClusterRenderer],
]);
