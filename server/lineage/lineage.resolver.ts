import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from "type-graphql";
import type { LineageGraph as StoreGraph, LineageGraphEdge, LineageGraphNode } from "../../graph/lineage-store.js";
import { columnTransformationsOf } from "../dataset/dataset-field.type.js";
import { lineageVisibility, visibleGraph, visibleImpact, visibleProvenance } from "../access/lineage-visibility.js";
import { EntityNotFoundError, InputInvalidError, NodeIdInvalidError } from "../errors/common-errors.js";
import { lineageEntityName } from "./lineage-node-guard.js";
import type { RequestContext } from "../graphql/context.js";
import { NODE_FETCHERS } from "../graphql/node-fetchers.js";
import { encodeNodeId, type NodeKind, tryDecodeNodeId } from "../graphql/node-id.js";
import { Node } from "../graphql/node.type.js";
import { DateTime } from "../graphql/scalars.js";
import { GraphProjectionState, Impact, LineagePathResult, Provenance } from "./lineage-answers.type.js";
import { KIND_OF_LINEAGE_TYPE, lineageTypeOfKind } from "./lineage-node-kinds.js";
import type { LineageReadSource } from "./lineage-read-router.js";
import type { LineageRoot } from "./lineage.service.js";
import { LineageRootKindError } from "./lineage.errors.js";
import {
  LineageConsistency,
  LineageDirection,
  LineageEdge,
  LineageEdgeKind,
  LineageFallback,
  LineageGraph,
  LineageNode,
  LineageNodeType,
  LineageSource,
} from "./lineage.type.js";

const globalId = (type: keyof typeof KIND_OF_LINEAGE_TYPE, id: string) => encodeNodeId(KIND_OF_LINEAGE_TYPE[type], id);

function toNode(node: LineageGraphNode): LineageNode {
  return Object.assign(new LineageNode(), { id: globalId(node.type, node.id), type: node.type, depth: node.depth, key: node.id });
}

function toEdge(edge: LineageGraphEdge): LineageEdge {
  return {
    upstreamId: globalId(edge.upstream.type, edge.upstream.id),
    downstreamId: globalId(edge.downstream.type, edge.downstream.id),
    kind: edge.kind as LineageEdgeKind,
    role: edge.role,
    properties: edge.properties,
    transformations: columnTransformationsOf(edge),
    validFrom: edge.validFrom,
    validTo: edge.validTo,
  };
}

function toGraph(graph: StoreGraph, source: LineageReadSource | null = null): LineageGraph {
  return { nodes: graph.nodes.map(toNode), edges: graph.edges.map(toEdge), truncated: graph.truncated, source: toSource(source) };
}

function toSource(source: LineageReadSource): LineageSource;
function toSource(source: LineageReadSource | null): LineageSource | null;
function toSource(source: LineageReadSource | null): LineageSource | null {
  return source ? { ...source, fallback: source.fallback as LineageFallback } : null;
}

/** Decodes a global id naming a lineage node, optionally of one kind only. */
function lineageRoot(id: string, field: string, only?: NodeKind): LineageRoot {
  const ref = tryDecodeNodeId(id);
  if (!ref) throw new NodeIdInvalidError(field, id);
  if (only && ref.kind !== only) {
    throw new InputInvalidError(field, `must be the id of a ${only}; got the id of a ${ref.kind}.`);
  }
  const type = lineageTypeOfKind(ref.kind);
  if (!type) throw new LineageRootKindError(ref.kind, field);
  return { type, id: ref.key, shownAs: id };
}

/** A root the caller may read: one in a hidden namespace is reported like an unknown id. */
async function readableRoot(ctx: RequestContext, id: string, field: string, only?: NodeKind): Promise<LineageRoot> {
  const root = lineageRoot(id, field, only);
  if (!(await ctx.services.access.isReadable(ctx.access, { kind: KIND_OF_LINEAGE_TYPE[root.type], key: root.id }))) {
    throw new EntityNotFoundError(lineageEntityName(root.type), id, field);
  }
  return root;
}

const consistencyArg = {
  defaultValue: LineageConsistency.EVENTUAL,
  description: "EVENTUAL (default) or LATEST: see LineageConsistency.",
};
const asOfArg = { nullable: true, description: "Answer as of this instant (default now)." };

@Resolver()
export class LineageResolver {
  @Authorized("VIEWER")
  @Query(() => LineageGraph, {
    description: "The lineage graph around a node: what fed it (UPSTREAM), what it fed (DOWNSTREAM) or both, as of a time.",
  })
  async lineage(
    @Arg("nodeId", () => ID) nodeId: string,
    @Ctx() ctx: RequestContext,
    @Arg("direction", () => LineageDirection, { defaultValue: LineageDirection.DOWNSTREAM }) direction: LineageDirection,
    @Arg("depth", () => Int, { defaultValue: 3, description: "Hops to follow (1 to the configured maximum, 10 by default)." })
    depth: number,
    @Arg("limit", () => Int, {
      defaultValue: 500,
      description: "Most nodes to return (1 to the configured maximum, 2,000 by default).",
    })
    limit: number,
    @Arg("nodeTypes", () => [LineageNodeType], {
      nullable: true,
      description: "Return only these node types (the walk passes through others).",
    })
    nodeTypes?: LineageNodeType[] | null,
    @Arg("edgeKinds", () => [LineageEdgeKind], { nullable: true, description: "Follow only these edge kinds." })
    edgeKinds?: LineageEdgeKind[] | null,
    @Arg("asOf", () => DateTime, asOfArg) asOf?: Date | null,
    @Arg("consistency", () => LineageConsistency, consistencyArg) consistency?: LineageConsistency,
  ): Promise<LineageGraph> {
    const root = await readableRoot(ctx, nodeId, "nodeId");
    const answer = await ctx.services.lineage.lineage({
      root,
      direction,
      maxDepth: depth,
      limit,
      ...(nodeTypes?.length ? { nodeTypes } : {}),
      ...(edgeKinds?.length ? { edgeKinds } : {}),
      ...(asOf ? { asOf } : {}),
      ...(consistency ? { consistency } : {}),
    });
    return toGraph(visibleGraph(answer.result, await lineageVisibility(ctx, answer.result.nodes)), answer.source);
  }

  @Authorized("VIEWER")
  @Query(() => Impact, {
    description:
      "Everything downstream of a dataset version, field, feature, commit, run or model version: runs, model versions, and the deployments that served them, marked where they served at `asOf`.",
  })
  async impact(
    @Arg("nodeId", () => ID) nodeId: string,
    @Ctx() ctx: RequestContext,
    @Arg("asOf", () => DateTime, asOfArg) asOf?: Date | null,
    @Arg("depth", () => Int, { defaultValue: 10, description: "Hops to follow (1 to the configured maximum)." }) depth = 10,
    @Arg("limit", () => Int, { defaultValue: 1_000, description: "Most runs and model versions to return." }) limit = 1_000,
    @Arg("consistency", () => LineageConsistency, consistencyArg) consistency?: LineageConsistency,
  ): Promise<Impact> {
    const root = await readableRoot(ctx, nodeId, "nodeId");
    const { result: answer, source } = await ctx.services.lineage.impact({
      root,
      asOf: asOf ?? undefined,
      maxDepth: depth,
      limit,
      ...(consistency ? { consistency } : {}),
    });
    const result = await visibleImpact(ctx, answer);
    return {
      root: toNode({ ...result.root, depth: 0 }),
      asOf: result.asOf,
      runs: result.runs.map(toNode),
      modelVersions: result.modelVersions.map(toNode),
      deployments: result.deployments.map((entry) => ({
        deploymentKey: entry.deploymentId,
        servingAt: entry.servingAt,
        trafficPercent: entry.trafficPercent,
        shares: entry.shares.map((share) => ({
          modelVersionKey: share.modelVersionId,
          percent: share.percent,
          validFrom: share.validFrom,
          validTo: share.validTo,
        })),
      })),
      truncated: result.truncated,
      source: toSource(source),
    };
  }

  @Authorized("VIEWER")
  @Query(() => Provenance, {
    description:
      "What produced what served on a deployment at `asOf` (every model version of its traffic split), or behind one model version: runs, exact dataset versions with roles, features, commits; hyperparameters and metrics on the runs.",
  })
  async provenance(
    @Ctx() ctx: RequestContext,
    @Arg("deploymentId", () => ID, { nullable: true }) deploymentId?: string | null,
    @Arg("modelVersionId", () => ID, { nullable: true }) modelVersionId?: string | null,
    @Arg("asOf", () => DateTime, asOfArg) asOf?: Date | null,
    @Arg("depth", () => Int, { defaultValue: 10, description: "Hops to follow upstream (1 to the configured maximum)." })
    depth = 10,
    @Arg("limit", () => Int, { defaultValue: 1_000, description: "Most upstream nodes per model version." }) limit = 1_000,
    @Arg("consistency", () => LineageConsistency, consistencyArg) consistency?: LineageConsistency,
  ): Promise<Provenance> {
    const { result: answer, source } = await ctx.services.lineage.provenance({
      deployment: deploymentId ? await readableRoot(ctx, deploymentId, "deploymentId", "Deployment") : undefined,
      modelVersion: modelVersionId ? await readableRoot(ctx, modelVersionId, "modelVersionId", "ModelVersion") : undefined,
      asOf: asOf ?? undefined,
      maxDepth: depth,
      limit,
      ...(consistency ? { consistency } : {}),
    });
    const result = await visibleProvenance(ctx, answer);
    return {
      deploymentKey: result.deploymentId,
      asOf: result.asOf,
      truncated: result.truncated,
      source: toSource(source),
      modelVersions: result.modelVersions.map((entry) => ({
        modelVersionKey: entry.modelVersionId,
        trafficPercent: entry.trafficPercent,
        featureKeys: entry.features.map((node) => node.id),
        commitKeys: entry.commits.map((node) => node.id),
        runs: entry.runs.map((node) => ({ runKey: node.id, depth: node.depth })),
        datasetVersions: entry.datasetVersions.map((version) => ({
          datasetVersionKey: version.id,
          readByRunKey: version.readByRunId,
          depth: version.depth,
          role: version.role,
        })),
        graph: toGraph(entry.graph),
      })),
    };
  }

  @Authorized("VIEWER")
  @Query(() => LineagePathResult, {
    description: "A shortest path between two lineage nodes along the flow of data (either direction), or none.",
  })
  async lineagePath(
    @Arg("from", () => ID) from: string,
    @Arg("to", () => ID) to: string,
    @Ctx() ctx: RequestContext,
    @Arg("asOf", () => DateTime, asOfArg) asOf?: Date | null,
    @Arg("maxDepth", () => Int, { defaultValue: 10, description: "Longest path to look for, in hops." }) maxDepth = 10,
    @Arg("edgeKinds", () => [LineageEdgeKind], { nullable: true, description: "Follow only these edge kinds." })
    edgeKinds?: LineageEdgeKind[] | null,
    @Arg("consistency", () => LineageConsistency, consistencyArg) consistency?: LineageConsistency,
  ): Promise<LineagePathResult> {
    const { result, source } = await ctx.services.lineage.path({
      from: await readableRoot(ctx, from, "from"),
      to: await readableRoot(ctx, to, "to"),
      asOf: asOf ?? undefined,
      maxDepth,
      ...(edgeKinds?.length ? { edgeKinds } : {}),
      ...(consistency ? { consistency } : {}),
    });
    // A path through a node the caller cannot see is, to them, no path.
    const visible = await lineageVisibility(ctx, result.path?.nodes ?? []);
    const path = result.path?.nodes.every(visible) ? result.path : null;
    return {
      direction: path ? (result.direction as LineageDirection | null) : null,
      nodes: path?.nodes.map(toNode) ?? [],
      edges: path?.edges.map(toEdge) ?? [],
      source: toSource(source),
    };
  }

  @Authorized("VIEWER")
  @Query(() => GraphProjectionState, { description: "How far the Neo4j lineage projection has got, and its health." })
  async graphProjection(@Ctx() ctx: RequestContext): Promise<GraphProjectionState> {
    const status = await ctx.services.lineage.projectionStatus();
    return {
      configured: status.configured,
      store: status.store,
      position: status.position,
      head: status.head,
      lagRows: status.lagRows,
      lagSeconds: status.lagSeconds,
      projectorRunning: status.worker?.running ?? false,
      consecutiveFailures: status.worker?.consecutiveFailures ?? 0,
      lastError: status.worker?.lastError ?? null,
      lastErrorAt: status.worker?.lastErrorAt ?? null,
      lastProjectedAt: status.worker?.lastProjectedAt ?? null,
    };
  }
}

@Resolver(() => LineageNode)
export class LineageNodeResolver {
  @FieldResolver(() => Node, { nullable: true, description: "The object itself (batched through DataLoaders)." })
  node(@Root() lineageNode: LineageNode, @Ctx() ctx: RequestContext): Promise<Node | null> {
    return NODE_FETCHERS[KIND_OF_LINEAGE_TYPE[lineageNode.type]](lineageNode.key, ctx);
  }
}
