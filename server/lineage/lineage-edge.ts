/** Lineage vocabulary shared by services and the edge repository. Edges point upstream ➜ downstream. */
export type { LineageEdgeKind, LineageNodeType } from "../../graph/lineage-store.js";
import type { LineageEdgeKind, LineageNodeType } from "../../graph/lineage-store.js";
export type InputRole = "TRAIN" | "VALIDATION" | "TEST" | "OTHER";

export interface LineageNodeRef {
  type: LineageNodeType;
  id: string;
}

export interface NewLineageEdge {
  upstream: LineageNodeRef;
  downstream: LineageNodeRef;
  kind: LineageEdgeKind;
  role?: InputRole | undefined;
  properties?: Record<string, unknown>;
}

export interface LineageEdge extends NewLineageEdge {
  id: string;
  validFrom: Date;
  validTo: Date | null;
}
