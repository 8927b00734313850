import { type GraphQLArgument, type GraphQLInputType, isInputObjectType, isListType, isNonNullType, isScalarType } from "graphql";
import { type NodeRef, tryDecodeNodeId } from "../graphql/node-id.js";

/** What an operation's arguments point at, with the argument path to name in errors. */
export interface OperationReferences {
  nodes: Array<NodeRef & { id: string; path: string }>;
  namespaces: Array<{ name: string; path: string }>;
}

/**
 * Every node id and namespace name in an operation's arguments, wherever the input nests them
 * (`input.dataset.namespace`, `ids[3]`, `filter.deploymentId`…): what access is checked against.
 * Only what the schema types as `ID` is read as a node id, and only fields named `namespace` as
 * namespace names; free text and JSON (descriptions, hyperparameters, predict rows) are not.
 */
export function operationReferences(args: Record<string, unknown>, definitions: readonly GraphQLArgument[]): OperationReferences {
  const found: OperationReferences = { nodes: [], namespaces: [] };
  for (const definition of definitions) {
    visit(args[definition.name], definition.name, definition.type, definition.name, found);
  }
  return found;
}

function visit(value: unknown, name: string, type: GraphQLInputType, path: string, found: OperationReferences): void {
  if (value === null || value === undefined) return;
  if (isNonNullType(type)) {
    visit(value, name, type.ofType, path, found);
    return;
  }
  if (isListType(type)) {
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) visit(item, name, type.ofType, `${path}[${index}]`, found);
    }
    return;
  }
  if (isScalarType(type)) {
    if (typeof value !== "string") return;
    if (type.name === "ID") {
      const ref = tryDecodeNodeId(value);
      if (ref) found.nodes.push({ ...ref, id: value, path });
    } else if (type.name === "String" && name === "namespace") {
      found.namespaces.push({ name: value, path });
    }
    return;
  }
  if (isInputObjectType(type) && typeof value === "object") {
    const record = value as Record<string, unknown>;
    for (const field of Object.values(type.getFields())) {
      visit(record[field.name], field.name, field.type, `${path}.${field.name}`, found);
    }
  }
}
