import { ArrayMaxSize, ArrayMinSize, IsOptional, Matches, MaxLength } from "class-validator";
import { Field, Float, ID, InputType, registerEnumType } from "type-graphql";
import { parseNodeId } from "../graphql/node-id.js";
import { DescriptionUpdateInput } from "../graphql/description-update.input.js";
import { NamespacedNameFilterInput } from "../graphql/namespaced-name-filter.input.js";
import { NamespacedNameInput } from "../graphql/namespaced-name.input.js";
import { orderInput } from "../graphql/order.input.js";
import { OrderDirection } from "../graphql/page-args.js";
import type { TrafficShareCommand } from "./deployment.service.js";
import { MAX_TRAFFIC_SHARES } from "./traffic-split.js";

/** An environment name such as `production`, `staging` or `eu-west_canary`. */
function IsEnvironment(): PropertyDecorator {
  return Matches(/^[a-z][a-z0-9_-]{0,31}$/, {
    message: "$property must start with a lowercase letter followed by up to 31 lowercase letters, digits, _ or -",
  });
}

const SHARE_COUNT_MESSAGE = `$property must hold 1 to ${MAX_TRAFFIC_SHARES} shares`;

@InputType()
export class TrafficShareInput {
  @Field(() => ID)
  modelVersionId!: string;

  @Field(() => Float, { description: "Above 0 and at most 100; the shares sum to 100." })
  percent!: number;
}

@InputType()
export class CreateDeploymentInput extends NamespacedNameInput {
  @Field(() => String)
  @IsEnvironment()
  environment!: string;

  @Field(() => [TrafficShareInput], { nullable: true, description: "When given, revision 1 serves this split." })
  @IsOptional()
  @ArrayMinSize(1, { message: SHARE_COUNT_MESSAGE })
  @ArrayMaxSize(MAX_TRAFFIC_SHARES, { message: SHARE_COUNT_MESSAGE })
  trafficSplit?: TrafficShareInput[] | null;

  @Field(() => String, { nullable: true, description: "Why the first split was chosen." })
  @IsOptional()
  @MaxLength(2_000)
  reason?: string | null;
}

@InputType()
export class UpdateDeploymentInput extends DescriptionUpdateInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsEnvironment()
  environment?: string | null;
}

@InputType()
export class SetDeploymentTrafficInput {
  @Field(() => ID)
  deploymentId!: string;

  @Field(() => [TrafficShareInput])
  @ArrayMinSize(1, { message: SHARE_COUNT_MESSAGE })
  @ArrayMaxSize(MAX_TRAFFIC_SHARES, { message: SHARE_COUNT_MESSAGE })
  trafficSplit!: TrafficShareInput[];

  @Field(() => String, { nullable: true, description: "Why the split changed (rollout, rollback, incident…)." })
  @IsOptional()
  @MaxLength(2_000)
  reason?: string | null;
}

@InputType()
export class DeploymentFilterInput extends NamespacedNameFilterInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsEnvironment()
  environment?: string | null;
}

export enum DeploymentOrderField {
  NAME = "name",
  CREATED_AT = "createdAt",
  UPDATED_AT = "updatedAt",
}
registerEnumType(DeploymentOrderField, { name: "DeploymentOrderField" });

@InputType()
export class DeploymentOrder extends orderInput(DeploymentOrderField, DeploymentOrderField.NAME, OrderDirection.ASC) {}

/** Decodes the shares' model version ids at the edge; errors name `input.trafficSplit[i].modelVersionId`. */
export function shareCommandsOf(shares: readonly TrafficShareInput[]): TrafficShareCommand[] {
  return shares.map((share, index) => ({
    modelVersionId: parseNodeId(share.modelVersionId, "ModelVersion", `input.trafficSplit[${index}].modelVersionId`),
    percent: share.percent,
    shownAs: share.modelVersionId,
  }));
}
