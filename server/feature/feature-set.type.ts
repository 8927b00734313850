import { Field, ObjectType } from "type-graphql";
import { encodeNodeId } from "../graphql/node-id.js";
import { Node } from "../graphql/node.type.js";
import { DateTime } from "../graphql/scalars.js";
import type { FeatureSetRecord } from "./feature-set.repository.js";

@ObjectType({ implements: Node, description: "A named group of features in a namespace, keyed by the same entity keys." })
export class FeatureSet extends Node {
  namespaceKey!: string;

  @Field(() => String)
  name!: string;

  @Field(() => [String], { description: "Columns that identify the entity a feature row describes (e.g. user_id)." })
  entityKeys!: string[];

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => DateTime)
  createdAt!: Date;

  @Field(() => DateTime)
  updatedAt!: Date;

  static from(row: FeatureSetRecord): FeatureSet {
    return Object.assign(new FeatureSet(), {
      ...row,
      key: row.id,
      id: encodeNodeId("FeatureSet", row.id),
      namespaceKey: row.namespaceId,
    });
  }
}
