import { type GraphQLOutputType, isListType, isNonNullType } from "graphql";
import type { MiddlewareFn } from "type-graphql";
import type { RequestContext } from "../graphql/context.js";
import { type NodeRef, tryDecodeNodeId } from "../graphql/node-id.js";
import { Node } from "../graphql/node.type.js";
import { HiddenNodeError } from "./access.errors.js";

/**
 * Hides nodes of namespaces the caller cannot read wherever a resolver returns them: a single node
 * becomes null, lists and connection pages lose them. Lists queried from SQL are filtered there
 * already (so pages and counts stay right); this is the net under every other path (node(id),
 * nested fields, answers that cross namespaces). Callers with a global binding skip it.
 */
export const hideInvisibleNodes: MiddlewareFn<RequestContext> = async ({ context, info }, next) => {
  const result: unknown = await next();
  if (result === null || typeof result !== "object" || !context.access || context.access.readsEverything()) return result;
  if (result instanceof Node) {
    if (await isVisible(result, context)) return result;
    return hiddenAnswer(info.returnType, result);
  }
  if (Array.isArray(result)) return visibleItems(result, info.returnType, context);
  const page = result as { edges?: unknown; nodes?: unknown };
  if (Array.isArray(page.edges) || Array.isArray(page.nodes)) {
    return {
      ...page,
      ...(Array.isArray(page.edges) ? { edges: await filterVisible(page.edges, context) } : {}),
      ...(Array.isArray(page.nodes) ? { nodes: await filterVisible(page.nodes, context) } : {}),
    };
  }
  return result;
};

/** Lists whose items may be null (`nodes(ids)`) keep their positions: hidden items become null. */
async function visibleItems(items: unknown[], returnType: GraphQLOutputType, context: RequestContext): Promise<unknown[]> {
  const listType = isNonNullType(returnType) ? returnType.ofType : returnType;
  if (!isListType(listType) || isNonNullType(listType.ofType)) return filterVisible(items, context);
  const visible = await Promise.all(items.map((item) => (item instanceof Node ? isVisible(item, context) : true)));
  return items.map((item, index) => (visible[index] ? item : null));
}

async function filterVisible(items: unknown[], context: RequestContext): Promise<unknown[]> {
  const visible = await Promise.all(
    items.map((item) => {
      const node = item instanceof Node ? item : (item as { node?: unknown } | null)?.node;
      return node instanceof Node ? isVisible(node, context) : true;
    }),
  );
  return items.filter((_, index) => visible[index]);
}

function refOf(node: Node): NodeRef | undefined {
  return tryDecodeNodeId(node.id);
}

async function isVisible(node: Node, context: RequestContext): Promise<boolean> {
  const direct = (node as { namespaceKey?: unknown }).namespaceKey;
  if (typeof direct === "string") return context.access.canRead(direct);
  const ref = refOf(node);
  if (!ref) return true;
  const namespaceId = await context.loaders.namespaceOfNode.load(ref);
  // Unknown to the lookup (just created in this request) or outside namespaces: not hidden here.
  return namespaceId === undefined || namespaceId === null || context.access.canRead(namespaceId);
}

/** Null where the schema allows it; where it does not, an error that names nothing hidden. */
function hiddenAnswer(returnType: GraphQLOutputType, node: Node): null {
  if (isNonNullType(returnType)) throw new HiddenNodeError(refOf(node)?.kind ?? "Node", "(hidden)");
  return null;
}
