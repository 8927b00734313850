import type { LineageEdgeKind, LineageNodeType } from "../gql/graphql";

export interface NodeKindInfo {
  /** Singular, for tags and filters. */
  label: string;
  /** CSS custom property holding the kind's colour (light and dark themes differ). */
  colorVar: string;
}

export const NODE_KINDS: Record<LineageNodeType, NodeKindInfo> = {
  DATASET_VERSION: { label: "Dataset version", colorVar: "--kind-dataset" },
  DATASET_FIELD: { label: "Column", colorVar: "--kind-field" },
  FEATURE: { label: "Feature", colorVar: "--kind-feature" },
  CODE_COMMIT: { label: "Commit", colorVar: "--kind-commit" },
  RUN: { label: "Run", colorVar: "--kind-run" },
  MODEL_VERSION: { label: "Model version", colorVar: "--kind-model" },
  DEPLOYMENT: { label: "Deployment", colorVar: "--kind-deployment" },
};

export const ALL_NODE_TYPES = Object.keys(NODE_KINDS) as LineageNodeType[];

export const EDGE_KINDS: Record<LineageEdgeKind, string> = {
  CONSUMED: "consumed by run",
  PRODUCED: "produced",
  SOURCE_OF: "source of feature",
  USED: "feature used by run",
  BUILT_FROM: "built from commit",
  PARENT_OF: "sweep parent of",
  SERVES: "serves",
  DERIVES: "column derives",
};

export const ALL_EDGE_KINDS = Object.keys(EDGE_KINDS) as LineageEdgeKind[];

/** Column-level lineage is shown on demand: hidden until the user ticks it. */
export const DEFAULT_HIDDEN_NODE_TYPES: readonly LineageNodeType[] = ["DATASET_FIELD"];
export const DEFAULT_HIDDEN_EDGE_KINDS: readonly LineageEdgeKind[] = ["DERIVES"];
