import { type NodeRef, tryDecodeNodeId } from "../graphql/node-id.js";

/** What an operation's arguments point at, with the argument path to name in errors. */
export interface OperationReferences {
  nodes: Array<NodeRef & { id: string; path: string }>;
  namespaces: Array<{ name: string; path: string }>;
}

const MAX_DEPTH = 8;

/**
 * Every node id and namespace name in an operation's arguments, wherever the input nests them
 * (`input.dataset.namespace`, `ids[3]`, `filter.deploymentId`…): what access is checked against.
 */
export function operationReferences(args: Record<string, unknown>): OperationReferences {
  const found: OperationReferences = { nodes: [], namespaces: [] };
  visit(args, "", 0, found);
  return found;
}

function visit(value: unknown, path: string, depth: number, found: OperationReferences): void {
  if (depth > MAX_DEPTH || value === null || value === undefined) return;
  if (typeof value === "string") {
    const ref = tryDecodeNodeId(value);
    if (ref) found.nodes.push({ ...ref, id: value, path });
    return;
  }
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) visit(item, `${path}[${index}]`, depth + 1, found);
    return;
  }
  if (typeof value !== "object" || value instanceof Date) return;
  for (const [key, item] of Object.entries(value)) {
    const itemPath = path ? `${path}.${key}` : key;
    if (key === "namespace" && typeof item === "string") found.namespaces.push({ name: item, path: itemPath });
    else visit(item, itemPath, depth + 1, found);
  }
}
