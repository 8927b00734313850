/** Lineage vocabulary shared by services and the edge repository. Edges point upstream ➜ downstream. */
export type LineageNodeType = "DATASET_VERSION" | "FEATURE" | "CODE_COMMIT" | "RUN" | "MODEL_VERSION" | "DEPLOYMENT";
export type LineageEdgeKind = "CONSUMED" | "PRODUCED" | "SOURCE_OF" | "USED" | "BUILT_FROM" | "SERVES" | "PARENT_OF";
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
