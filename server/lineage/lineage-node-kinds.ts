import type { LineageNodeType } from "../../graph/lineage-store.js";
import type { NodeKind } from "../graphql/node-id.js";

/** Which GraphQL node kind each lineage node type is, and back. */
export const KIND_OF_LINEAGE_TYPE: Record<LineageNodeType, NodeKind> = {
  DATASET_VERSION: "DatasetVersion",
  DATASET_FIELD: "DatasetField",
  FEATURE: "Feature",
  CODE_COMMIT: "CodeCommit",
  RUN: "Run",
  MODEL_VERSION: "ModelVersion",
  DEPLOYMENT: "Deployment",
};

export function lineageTypeOfKind(kind: NodeKind): LineageNodeType | undefined {
  const entry = Object.entries(KIND_OF_LINEAGE_TYPE).find(([, value]) => value === kind);
  return entry?.[0] as LineageNodeType | undefined;
}
