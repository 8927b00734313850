"use client";

import type { LineageEdgeKind, LineageNodeType } from "../gql/graphql";
import { ALL_EDGE_KINDS, ALL_NODE_TYPES, EDGE_KINDS, NODE_KINDS } from "./node-kinds";

function toggled<T>(set: ReadonlySet<T>, value: T): Set<T> {
  const next = new Set(set);
  if (next.has(value)) next.delete(value);
  else next.add(value);
  return next;
}

/** Which node and edge kinds are drawn; columns (column-level lineage) are off until asked for. */
export function LineageFilters(props: {
  hiddenNodeTypes: ReadonlySet<LineageNodeType>;
  hiddenEdgeKinds: ReadonlySet<LineageEdgeKind>;
  onNodeTypesChange: (hidden: ReadonlySet<LineageNodeType>) => void;
  onEdgeKindsChange: (hidden: ReadonlySet<LineageEdgeKind>) => void;
}) {
  return (
    <>
      <fieldset className="filters">
        <legend>Node kinds</legend>
        {ALL_NODE_TYPES.map((type) => (
          <label key={type}>
            <input
              type="checkbox"
              checked={!props.hiddenNodeTypes.has(type)}
              onChange={() => props.onNodeTypesChange(toggled(props.hiddenNodeTypes, type))}
            />{" "}
            <span style={{ color: `var(${NODE_KINDS[type].colorVar})` }}>■</span> {NODE_KINDS[type].label}
            {type === "DATASET_FIELD" ? " (column-level)" : ""}
          </label>
        ))}
      </fieldset>
      <fieldset className="filters">
        <legend>Edge kinds</legend>
        {ALL_EDGE_KINDS.map((kind) => (
          <label key={kind}>
            <input
              type="checkbox"
              checked={!props.hiddenEdgeKinds.has(kind)}
              onChange={() => props.onEdgeKindsChange(toggled(props.hiddenEdgeKinds, kind))}
            />{" "}
            {EDGE_KINDS[kind]}
          </label>
        ))}
      </fieldset>
    </>
  );
}
