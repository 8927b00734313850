import { Field, ObjectType } from "type-graphql";
import { ConnectionType } from "../graphql/connection.js";
import { encodeNodeId } from "../graphql/node-id.js";
import { Node } from "../graphql/node.type.js";
import { DateTime } from "../graphql/scalars.js";
import type { FeatureRecord } from "./feature.repository.js";

@ObjectType({ implements: Node, description: "One feature of a feature set, computed from dataset versions." })
export class Feature extends Node {
  featureSetKey!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: "Value type as the feature store names it (e.g. float32, int64, string)." })
  dtype!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => String, { nullable: true, description: "Where the transformation is defined (file, SQL model, function)." })
  transformationRef!: string | null;

  @Field(() => DateTime)
  createdAt!: Date;

  @Field(() => DateTime)
  updatedAt!: Date;

  static from(row: FeatureRecord): Feature {
    return Object.assign(new Feature(), {
      ...row,
      key: row.id,
      id: encodeNodeId("Feature", row.id),
      featureSetKey: row.featureSetId,
    });
  }
}

export const FeatureConnection = ConnectionType(Feature, "Feature");
