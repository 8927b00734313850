import type { LineageGraph, LineageNodeKey } from "../../graph/lineage-store.js";
import type { RequestContext } from "../graphql/context.js";
import type { NodeRef } from "../graphql/node-id.js";
import { KIND_OF_LINEAGE_TYPE } from "../lineage/lineage-node-kinds.js";
import type { Impact, Provenance } from "../lineage/lineage.service.js";

/** Which lineage nodes (by `TYPE:id`) the caller may see. */
export type LineageVisibility = (node: LineageNodeKey) => boolean;

const EVERYTHING: LineageVisibility = () => true;

const lineageKey = (node: LineageNodeKey) => `${node.type}:${node.id}`;

/**
 * Visibility of the nodes of a lineage answer: a walk crosses namespaces freely in the store, and
 * nodes of namespaces the caller cannot read are then dropped from what it returns (with the edges
 * that touch them), never shown as placeholders.
 */
export async function lineageVisibility(ctx: RequestContext, nodes: Iterable<LineageNodeKey>): Promise<LineageVisibility> {
  if (ctx.access.readsEverything()) return EVERYTHING;
  const refs: NodeRef[] = [];
  const keys: string[] = [];
  for (const node of nodes) {
    refs.push({ kind: KIND_OF_LINEAGE_TYPE[node.type], key: node.id });
    keys.push(lineageKey(node));
  }
  const namespaces = await ctx.loaders.namespaceOfNode.loadMany(refs);
  const hidden = new Set<string>();
  namespaces.forEach((namespaceId, index) => {
    if (typeof namespaceId === "string" && !ctx.access.canRead(namespaceId)) hidden.add(keys[index] as string);
  });
  return (node) => !hidden.has(lineageKey(node));
}

export function visibleGraph(graph: LineageGraph, visible: LineageVisibility): LineageGraph {
  if (visible === EVERYTHING) return graph;
  return {
    ...graph,
    nodes: graph.nodes.filter(visible),
    edges: graph.edges.filter((edge) => visible(edge.upstream) && visible(edge.downstream)),
  };
}

export async function visibleImpact(ctx: RequestContext, impact: Impact): Promise<Impact> {
  const deployments = impact.deployments.map((entry) => ({ type: "DEPLOYMENT" as const, id: entry.deploymentId }));
  const visible = await lineageVisibility(ctx, [...impact.runs, ...impact.modelVersions, ...deployments]);
  if (visible === EVERYTHING) return impact;
  return {
    ...impact,
    runs: impact.runs.filter(visible),
    modelVersions: impact.modelVersions.filter(visible),
    deployments: impact.deployments
      .filter((entry) => visible({ type: "DEPLOYMENT", id: entry.deploymentId }))
      .map((entry) => ({
        ...entry,
        shares: entry.shares.filter((share) => visible({ type: "MODEL_VERSION", id: share.modelVersionId })),
      })),
  };
}

export async function visibleProvenance(ctx: RequestContext, provenance: Provenance): Promise<Provenance> {
  const nodes: LineageNodeKey[] = [];
  for (const entry of provenance.modelVersions) {
    nodes.push({ type: "MODEL_VERSION", id: entry.modelVersionId }, ...entry.graph.nodes);
  }
  const visible = await lineageVisibility(ctx, nodes);
  if (visible === EVERYTHING) return provenance;
  return {
    ...provenance,
    modelVersions: provenance.modelVersions
      .filter((entry) => visible({ type: "MODEL_VERSION", id: entry.modelVersionId }))
      .map((entry) => ({
        ...entry,
        runs: entry.runs.filter(visible),
        features: entry.features.filter(visible),
        commits: entry.commits.filter(visible),
        datasetVersions: entry.datasetVersions
          .filter((version) => visible({ type: "DATASET_VERSION", id: version.id }))
          .map((version) =>
            version.readByRunId && !visible({ type: "RUN", id: version.readByRunId })
              ? { ...version, readByRunId: null }
              : version,
          ),
        graph: visibleGraph(entry.graph, visible),
      })),
  };
}
