import { Arg, Authorized, Ctx, ID, Query, Resolver } from "type-graphql";
import { NodeIdInvalidError } from "../errors/common-errors.js";
import type { RequestContext } from "./context.js";
import { tryDecodeNodeId } from "./node-id.js";
import { NODE_FETCHERS } from "./node-fetchers.js";
import { Node } from "./node.type.js";

const MAX_NODES = 100;

@Resolver()
export class NodeResolver {
  @Authorized("VIEWER")
  @Query(() => Node, { nullable: true, description: "Any object by its global id; null when it does not exist." })
  node(@Arg("id", () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Node | null> {
    const ref = tryDecodeNodeId(id);
    if (!ref) throw new NodeIdInvalidError("id", id);
    return NODE_FETCHERS[ref.kind](ref.key, ctx);
  }

  @Authorized("VIEWER")
  @Query(() => [Node], { nullable: "items", description: `Up to ${MAX_NODES} objects by global id, in order.` })
  nodes(@Arg("ids", () => [ID]) ids: string[], @Ctx() ctx: RequestContext): Promise<Array<Node | null>> {
    if (ids.length > MAX_NODES) throw new NodeIdInvalidError("ids", `${ids.length} ids`, `list of at most ${MAX_NODES}`);
    return Promise.all(
      ids.map((id, index) => {
        const ref = tryDecodeNodeId(id);
        if (!ref) throw new NodeIdInvalidError(`ids[${index}]`, id);
        return NODE_FETCHERS[ref.kind](ref.key, ctx);
      }),
    );
  }
}
