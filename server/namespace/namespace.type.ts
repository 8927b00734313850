import { Field, ObjectType } from "type-graphql";
import { Node } from "../graphql/node.type.js";
import { DateTime } from "../graphql/scalars.js";
import { encodeNodeId } from "../graphql/node-id.js";
import type { NamespaceRecord } from "./namespace.repository.js";

@ObjectType({ implements: Node, description: "Tenant boundary; OpenLineage namespaces map here." })
export class Namespace extends Node {
  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => DateTime)
  createdAt!: Date;

  @Field(() => DateTime)
  updatedAt!: Date;

  static from(row: NamespaceRecord): Namespace {
    return Object.assign(new Namespace(), { ...row, key: row.id, id: encodeNodeId("Namespace", row.id) });
  }
}
