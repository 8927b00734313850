import type { LineageNodeType } from "../gql/graphql";

/** The explorer's page of an object, by its GraphQL type name; null for kinds without a page. */
export function entityHref(typename: string, id: string): string | null {
  const encoded = encodeURIComponent(id);
  switch (typename) {
    case "DatasetVersion":
      return `/dataset-versions/${encoded}`;
    case "Run":
      return `/runs/${encoded}`;
    case "ModelVersion":
      return `/model-versions/${encoded}`;
    case "Deployment":
      return `/deployments/${encoded}`;
    default:
      return null;
  }
}

const TYPENAME_OF_NODE_TYPE: Partial<Record<LineageNodeType, string>> = {
  DATASET_VERSION: "DatasetVersion",
  RUN: "Run",
  MODEL_VERSION: "ModelVersion",
  DEPLOYMENT: "Deployment",
};

/** The page of a lineage node, or null for kinds without one (features, commits, columns). */
export function lineageNodeHref(type: LineageNodeType, id: string): string | null {
  const typename = TYPENAME_OF_NODE_TYPE[type];
  return typename ? entityHref(typename, id) : null;
}

/** The lineage explorer centred on a node. */
export function lineageHref(id: string): string {
  return `/lineage?node=${encodeURIComponent(id)}`;
}
