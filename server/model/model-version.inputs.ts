import { ArrayMaxSize, ArrayUnique, IsOptional, Matches } from "class-validator";
import { Field, ID, InputType, registerEnumType } from "type-graphql";
import { DescriptionUpdateInput } from "../graphql/description-update.input.js";
import { orderInput } from "../graphql/order.input.js";
import { OrderDirection } from "../graphql/page-args.js";
import { JSONObject } from "../graphql/scalars.js";
import { IsDescription, IsPedigreeName, IsPedigreeUri, IsSha256 } from "../lib/validators.js";
import { IsBoundedJsonObject, IsMetricMap } from "./model-json.js";

const ALIAS_PATTERN = /^[a-z][a-z0-9_-]{0,63}$/;
const ALIAS_RULE = "start with a lowercase letter followed by up to 63 lowercase letters, digits, _ or -";
const ALIAS_MESSAGE = `$property must ${ALIAS_RULE}`;

/** Most aliases one registration may set. */
export const MAX_ALIASES_PER_REGISTRATION = 20;

@InputType()
export class RegisterModelVersionInput {
  @Field(() => String)
  @IsPedigreeName()
  namespace!: string;

  @Field(() => String, { description: "Model name; the model is created if new." })
  @IsPedigreeName()
  model!: string;

  @Field(() => String)
  @IsPedigreeUri()
  artifactUri!: string;

  @Field(() => String, { description: "SHA-256 of the artifact, 64 lowercase hex. Same artifact ⇒ same version." })
  @IsSha256()
  artifactSha256!: string;

  @Field(() => JSONObject, { nullable: true, description: "Input/output signature, at most 64 KiB of JSON." })
  @IsOptional()
  @IsBoundedJsonObject()
  signature?: Record<string, unknown> | null;

  @Field(() => JSONObject, { nullable: true, description: "Metric name → finite number, at most 64 KiB of JSON." })
  @IsOptional()
  @IsBoundedJsonObject()
  @IsMetricMap()
  metrics?: Record<string, number> | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsDescription()
  description?: string | null;

  @Field(() => ID, { nullable: true, description: "The run that produced the artifact (a PRODUCED edge)." })
  @IsOptional()
  sourceRunId?: string | null;

  @Field(() => [String], {
    defaultValue: [],
    description: "Aliases (e.g. champion) moved to the new version. Ignored when the artifact was already registered.",
  })
  @ArrayMaxSize(MAX_ALIASES_PER_REGISTRATION)
  @ArrayUnique({ message: "$property must not name an alias twice" })
  @Matches(ALIAS_PATTERN, { each: true, message: `$property must be aliases that each ${ALIAS_RULE}` })
  aliases!: string[];
}

@InputType()
export class UpdateModelVersionInput extends DescriptionUpdateInput {
  @Field(() => JSONObject, { nullable: true, description: "Replaces the metrics when given." })
  @IsOptional()
  @IsBoundedJsonObject()
  @IsMetricMap()
  metrics?: Record<string, number> | null;
}

@InputType()
export class SetModelAliasInput {
  @Field(() => ID)
  modelVersionId!: string;

  @Field(() => String)
  @Matches(ALIAS_PATTERN, { message: ALIAS_MESSAGE })
  alias!: string;
}

@InputType()
export class RemoveModelAliasInput {
  @Field(() => ID)
  modelId!: string;

  @Field(() => String)
  @Matches(ALIAS_PATTERN, { message: ALIAS_MESSAGE })
  alias!: string;
}

@InputType()
export class ModelVersionFilterInput {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  modelId?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(ALIAS_PATTERN, { message: ALIAS_MESSAGE })
  alias?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsSha256()
  artifactSha256?: string | null;
}

export enum ModelVersionOrderField {
  VERSION = "version",
  CREATED_AT = "createdAt",
}
registerEnumType(ModelVersionOrderField, { name: "ModelVersionOrderField" });

@InputType()
export class ModelVersionOrder extends orderInput(ModelVersionOrderField, ModelVersionOrderField.VERSION, OrderDirection.DESC) {}
