import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from "type-graphql";
import type { LineageGraph as StoreGraph } from "../../graph/lineage-store.js";
import { NodeIdInvalidError } from "../errors/common-errors.js";
import type { RequestContext } from "../graphql/context.js";
import { NODE_FETCHERS } from "../graphql/node-fetchers.js";
import { encodeNodeId, tryDecodeNodeId } from "../graphql/node-id.js";
import { Node } from "../graphql/node.type.js";
import { DateTime } from "../graphql/scalars.js";
import { KIND_OF_LINEAGE_TYPE, lineageTypeOfKind } from "./lineage-node-kinds.js";
import { LineageRootKindError } from "./lineage.errors.js";
import { LineageDirection, LineageEdgeKind, LineageGraph, LineageNode, LineageNodeType } from "./lineage.type.js";

function toGraphQL(graph: StoreGraph): LineageGraph {
  const globalId = (type: keyof typeof KIND_OF_LINEAGE_TYPE, id: string) => encodeNodeId(KIND_OF_LINEAGE_TYPE[type], id);
  return {
    nodes: graph.nodes.map((node) =>
      Object.assign(new LineageNode(), { id: globalId(node.type, node.id), type: node.type, depth: node.depth, key: node.id }),
    ),
    edges: graph.edges.map((edge) => ({
      upstreamId: globalId(edge.upstream.type, edge.upstream.id),
      downstreamId: globalId(edge.downstream.type, edge.downstream.id),
      kind: edge.kind as LineageEdgeKind,
      role: edge.role,
      properties: edge.properties,
      validFrom: edge.validFrom,
      validTo: edge.validTo,
    })),
    truncated: graph.truncated,
  };
}

@Resolver(() => LineageNode)
export class LineageResolver {
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
    @Arg("asOf", () => DateTime, { nullable: true, description: "Answer as of this instant (default now)." })
    asOf?: Date | null,
  ): Promise<LineageGraph> {
    const ref = tryDecodeNodeId(nodeId);
    if (!ref) throw new NodeIdInvalidError("nodeId", nodeId);
    const type = lineageTypeOfKind(ref.kind);
    if (!type) throw new LineageRootKindError(ref.kind, "nodeId");
    const graph = await ctx.services.lineage.lineage({
      root: { type, id: ref.key },
      shownAs: nodeId,
      direction,
      maxDepth: depth,
      limit,
      ...(nodeTypes?.length ? { nodeTypes } : {}),
      ...(edgeKinds?.length ? { edgeKinds } : {}),
      ...(asOf ? { asOf } : {}),
    });
    return toGraphQL(graph);
  }

  @FieldResolver(() => Node, { nullable: true, description: "The object itself (batched through DataLoaders)." })
  node(@Root() lineageNode: LineageNode, @Ctx() ctx: RequestContext): Promise<Node | null> {
    return NODE_FETCHERS[KIND_OF_LINEAGE_TYPE[lineageNode.type]](lineageNode.key, ctx);
  }
}
