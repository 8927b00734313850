"use client";

import { useEffect, useMemo, useState } from "react";
import { layoutGraph } from "./elk-layout";
import type { GraphEdge, GraphNode, GraphPositions } from "./graph-model";

export interface GraphLayoutState {
  positions: GraphPositions | null;
  /** True until the positions belong to the current nodes and edges (also on the very render they change). */
  pending: boolean;
  error: string | null;
}

interface Computed {
  key: string;
  positions: GraphPositions | null;
  error: string | null;
}

/**
 * Lays out whenever the set of nodes or edges changes (not when only their data does: highlight
 * and selection reuse the positions). Results for an outdated graph are dropped.
 */
export function useGraphLayout(
  nodes: readonly GraphNode<string, unknown>[],
  edges: readonly GraphEdge<string>[],
): GraphLayoutState {
  const structureKey = useMemo(
    () => `${nodes.map((node) => node.id).join("|")}#${edges.map((edge) => edge.id).join("|")}`,
    [nodes, edges],
  );
  const [computed, setComputed] = useState<Computed>({ key: "", positions: null, error: null });
  // biome-ignore lint/correctness/useExhaustiveDependencies: nodes and edges are read through structureKey on purpose.
  useEffect(() => {
    if (nodes.length === 0) {
      setComputed({ key: structureKey, positions: new Map(), error: null });
      return;
    }
    let current = true;
    layoutGraph(nodes, edges)
      .then((positions) => {
        if (current) setComputed({ key: structureKey, positions, error: null });
      })
      .catch((error: unknown) => {
        if (current)
          setComputed({ key: structureKey, positions: null, error: error instanceof Error ? error.message : String(error) });
      });
    return () => {
      current = false;
    };
  }, [structureKey]);
  return { positions: computed.positions, pending: computed.key !== structureKey, error: computed.error };
}
