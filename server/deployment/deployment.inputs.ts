import { ArrayMaxSize, ArrayMinSize, IsOptional, Matches, MaxLength } from "class-validator";
import { Field, Float, ID, InputType, registerEnumType } from "type-graphql";
import { parseNodeId } from "../graphql/node-id.js";
import { OrderDirection } from "../graphql/page-args.js";
import { IsDescription, IsPedigreeName } from "../lib/validators.js";
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
export class CreateDeploymentInput {
  @Field(() => String)
  @IsPedigreeName()
  namespace!: string;

  @Field(() => String)
  @IsPedigreeName()
  name!: string;

  @Field(() => String)
  @IsEnvironment()
  environment!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsDescription()
  description?: string | null;

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
export class UpdateDeploymentInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsDescription()
  description?: string | null;

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
export class DeploymentFilterInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsPedigreeName()
  namespace?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsEnvironment()
  environment?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(255)
  nameContains?: string | null;
}

export enum DeploymentOrderField {
  NAME = "name",
  CREATED_AT = "createdAt",
  UPDATED_AT = "updatedAt",
}
registerEnumType(DeploymentOrderField, { name: "DeploymentOrderField" });

@InputType()
export class DeploymentOrder {
  @Field(() => DeploymentOrderField, { defaultValue: DeploymentOrderField.NAME })
  field!: DeploymentOrderField;

  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC })
  direction!: OrderDirection;
}

/** Decodes the shares' model version ids at the edge; errors name `input.trafficSplit[i].modelVersionId`. */
export function shareCommandsOf(shares: readonly TrafficShareInput[]): TrafficShareCommand[] {
  return shares.map((share, index) => ({
    modelVersionId: parseNodeId(share.modelVersionId, "ModelVersion", `input.trafficSplit[${index}].modelVersionId`),
    percent: share.percent,
    shownAs: share.modelVersionId,
  }));
}
