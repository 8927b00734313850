import { Field, Float, Int, ObjectType } from "type-graphql";
import { ConnectionType } from "../graphql/connection.js";
import { encodeNodeId } from "../graphql/node-id.js";
import { Node } from "../graphql/node.type.js";
import { DateTime } from "../graphql/scalars.js";
import { ModelVersion } from "../model/model.type.js";
import type { DeploymentRecord, DeploymentRevisionRecord } from "./deployment.repository.js";
import type { TrafficShareRecord } from "./traffic-split.js";

@ObjectType({
  implements: Node,
  description: "A named serving endpoint in an environment; its traffic split changes by revisions.",
})
export class Deployment extends Node {
  namespaceKey!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: "Where it serves, e.g. production or staging." })
  environment!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => DateTime)
  createdAt!: Date;

  @Field(() => DateTime)
  updatedAt!: Date;

  static from(row: DeploymentRecord): Deployment {
    return Object.assign(new Deployment(), {
      ...row,
      key: row.id,
      id: encodeNodeId("Deployment", row.id),
      namespaceKey: row.namespaceId,
    });
  }
}

@ObjectType({ description: "One model version's share of a deployment's traffic." })
export class TrafficShare {
  @Field(() => ModelVersion)
  modelVersion!: ModelVersion;

  @Field(() => Float, { description: "Above 0 and at most 100; the shares of a revision sum to 100." })
  percent!: number;
}

@ObjectType({ implements: Node, description: "One change of a deployment's traffic split: who, when, why." })
export class DeploymentRevision extends Node {
  deploymentKey!: string;

  /** The stored shares, resolved to `trafficSplit`. */
  shares!: TrafficShareRecord[];

  @Field(() => Int, { description: "1, 2, 3… within the deployment; the highest serves now." })
  revision!: number;

  @Field(() => String, { description: "Who made the change." })
  actor!: string;

  @Field(() => String, { nullable: true })
  reason!: string | null;

  @Field(() => DateTime, { description: "When this revision took effect." })
  createdAt!: Date;

  static from(row: DeploymentRevisionRecord): DeploymentRevision {
    const { trafficSplit, ...fields } = row;
    return Object.assign(new DeploymentRevision(), {
      ...fields,
      shares: trafficSplit,
      key: row.id,
      id: encodeNodeId("DeploymentRevision", row.id),
      deploymentKey: row.deploymentId,
    });
  }
}

export const DeploymentRevisionConnection = ConnectionType(DeploymentRevision, "DeploymentRevision");
