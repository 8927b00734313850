import "reflect-metadata";
import type { GraphQLSchema } from "graphql";
import { type NonEmptyArray, buildSchema } from "type-graphql";
import { DatasetResolver, DatasetVersionResolver } from "../dataset/dataset.resolver.js";
import { NamespaceResolver } from "../namespace/namespace.resolver.js";
import { NodeResolver } from "./node.resolver.js";
import { validateArguments } from "./validate-arguments.js";

// biome-ignore lint/complexity/noBannedTypes: type-graphql takes resolver classes
export const RESOLVERS: NonEmptyArray<Function> = [
  NodeResolver,
  NamespaceResolver,
  DatasetResolver,
  DatasetVersionResolver,
];

let cached: Promise<GraphQLSchema> | undefined;

/** The executable schema; built once per process (type-graphql's metadata is global). */
export function buildPedigreeSchema(): Promise<GraphQLSchema> {
  cached ??= buildSchema({
    resolvers: RESOLVERS,
    validateFn: validateArguments,
  });
  return cached;
}
