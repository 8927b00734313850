import { Dataset, DatasetVersion } from "../dataset/dataset.type.js";
import { Namespace } from "../namespace/namespace.type.js";
import type { RequestContext } from "./context.js";
import type { NodeKind } from "./node-id.js";
import type { Node } from "./node.type.js";

type NodeFetcher = (key: string, ctx: RequestContext) => Promise<Node | null>;

function fetchWith<Row>(load: (ctx: RequestContext, key: string) => Promise<Row | null>, from: (row: Row) => Node): NodeFetcher {
  return async (key, ctx) => {
    const row = await load(ctx, key);
    return row ? from(row) : null;
  };
}

/** How `node(id)` finds each kind of node (through the request's DataLoaders). */
export const NODE_FETCHERS: Record<NodeKind, NodeFetcher> = {
  Namespace: fetchWith((ctx, key) => ctx.loaders.namespaceById.load(key), Namespace.from),
  Dataset: fetchWith((ctx, key) => ctx.loaders.datasetById.load(key), Dataset.from),
  DatasetVersion: fetchWith((ctx, key) => ctx.loaders.datasetVersionById.load(key), DatasetVersion.from),
} as Record<NodeKind, NodeFetcher>;
