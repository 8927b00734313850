import { ArrayMaxSize, IsOptional, Length, Matches } from "class-validator";
import { Field, ID, InputType, registerEnumType } from "type-graphql";
import { DescriptionUpdateInput } from "../graphql/description-update.input.js";
import { NamespacedNameFilterInput } from "../graphql/namespaced-name-filter.input.js";
import { orderInput } from "../graphql/order.input.js";
import { OrderDirection } from "../graphql/page-args.js";
import { IsDescription, IsPedigreeName } from "../lib/validators.js";

// dtypes may hold spaces ("decimal(10, 2)") but never start with one or hold control characters.
const PRINTABLE = /^[^\s\p{Cc}][^\p{Cc}]*$/u;

/** A value type such as float32 or array<int64>: 1–64 printable characters. */
function IsDtype(): PropertyDecorator {
  return (target, key) => {
    Length(1, 64)(target, key);
    Matches(PRINTABLE, { message: "$property must not start with a space or contain control characters" })(target, key);
  };
}

/** A reference to code: a path, URI or function name, up to 2048 printable characters. */
function IsTransformationRef(): PropertyDecorator {
  return (target, key) => {
    Length(1, 2048)(target, key);
    Matches(PRINTABLE, { message: "$property must not start with a space or contain control characters" })(target, key);
  };
}

@InputType()
export class RegisterFeatureInput {
  @Field(() => ID)
  featureSetId!: string;

  @Field(() => String, { description: "Same feature set + name ⇒ same feature." })
  @IsPedigreeName()
  name!: string;

  @Field(() => String)
  @IsDtype()
  dtype!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsDescription()
  description?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsTransformationRef()
  transformationRef?: string | null;

  @Field(() => [ID], {
    defaultValue: [],
    description:
      "Dataset versions the feature is computed from (SOURCE_OF edges); at most 1,000. Registering again adds new ones.",
  })
  @ArrayMaxSize(1_000)
  sourceDatasetVersionIds!: string[];
}

@InputType()
export class UpdateFeatureInput extends DescriptionUpdateInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsDtype()
  dtype?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsTransformationRef()
  transformationRef?: string | null;
}

@InputType()
export class FeatureFilterInput extends NamespacedNameFilterInput {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  featureSetId?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsDtype()
  dtype?: string | null;
}

export enum FeatureOrderField {
  NAME = "name",
  CREATED_AT = "createdAt",
  UPDATED_AT = "updatedAt",
}
registerEnumType(FeatureOrderField, { name: "FeatureOrderField" });

@InputType()
export class FeatureOrder extends orderInput(FeatureOrderField, FeatureOrderField.NAME, OrderDirection.ASC) {}
