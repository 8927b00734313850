"use client";

import Link from "next/link";
import { lineageNodeHref } from "../components/entity-href";
import type { LineageDirection } from "../gql/graphql";
import type { LineageNodeView } from "./lineage-model";
import { NODE_KINDS } from "./node-kinds";

export interface NodeDetailsProps {
  node: LineageNodeView | null;
  isRoot: boolean;
  impactActive: boolean;
  busy: boolean;
  onExpand: (direction: LineageDirection) => void;
  onHighlightImpact: () => void;
  onClearImpact: () => void;
  onOpenAsRoot: () => void;
}

/** The selected node's facts and what can be done from it. */
export function NodeDetails(props: NodeDetailsProps) {
  const { node } = props;
  if (!node) return <p className="status-empty">Select a node (click it, or Tab to it and press Enter) to see its details.</p>;
  const page = lineageNodeHref(node.type, node.id);
  return (
    <div data-testid="node-details">
      <h2>
        <span className="kind-tag" style={{ color: `var(${NODE_KINDS[node.type].colorVar})` }}>
          {NODE_KINDS[node.type].label}
        </span>
        <br />
        {node.title}
      </h2>
      <dl>
        {node.facts.map(([term, value]) => (
          <div key={term} style={{ display: "contents" }}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <div className="actions">
        {page ? (
          <Link
            className="button primary"
            href={page}
            aria-label={`Open page of this ${NODE_KINDS[node.type].label.toLowerCase()}`}
          >
            Open page
          </Link>
        ) : null}
        <button type="button" className="button" disabled={props.busy} onClick={() => props.onExpand("UPSTREAM")}>
          Expand upstream
        </button>
        <button type="button" className="button" disabled={props.busy} onClick={() => props.onExpand("DOWNSTREAM")}>
          Expand downstream
        </button>
        {props.impactActive ? (
          <button type="button" className="button" onClick={props.onClearImpact}>
            Clear impact highlight
          </button>
        ) : (
          <button type="button" className="button" disabled={props.busy} onClick={props.onHighlightImpact}>
            Highlight impact
          </button>
        )}
        {props.isRoot ? null : (
          <button type="button" className="button" onClick={props.onOpenAsRoot}>
            Center on this node
          </button>
        )}
      </div>
    </div>
  );
}
