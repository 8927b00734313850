import { ArrayMaxSize, ArrayUnique, IsOptional, Length, Matches, MaxLength } from "class-validator";
import { Field, ID, InputType, registerEnumType } from "type-graphql";
import { OrderDirection } from "../graphql/page-args.js";
import { IsDescription, IsPedigreeName } from "../lib/validators.js";

// The rule of IsPedigreeName, applied to each item of a list (IsPedigreeName checks one string).
const NAME_PATTERN = /^[^\s\p{Cc}][^\p{Cc}]*$/u;

/** Up to 32 distinct entity key names, each like a Pedigree name. */
function IsEntityKeys(): PropertyDecorator {
  return (target, key) => {
    ArrayMaxSize(32)(target, key);
    ArrayUnique({ message: "$property must not repeat a key" })(target, key);
    Length(1, 255, { each: true, message: "$property must hold names of 1–255 characters" })(target, key);
    Matches(NAME_PATTERN, {
      each: true,
      message: "$property must hold names that do not start with a space or contain control characters",
    })(target, key);
  };
}

@InputType()
export class RegisterFeatureSetInput {
  @Field(() => String)
  @IsPedigreeName()
  namespace!: string;

  @Field(() => String)
  @IsPedigreeName()
  name!: string;

  @Field(() => [String], { defaultValue: [], description: "At most 32." })
  @IsEntityKeys()
  entityKeys!: string[];

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsDescription()
  description?: string | null;
}

@InputType()
export class UpdateFeatureSetInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsDescription()
  description?: string | null;

  @Field(() => [String], { nullable: true, description: "Replaces the entity keys when given. At most 32." })
  @IsOptional()
  @IsEntityKeys()
  entityKeys?: string[] | null;
}

@InputType()
export class FeatureSetFilterInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsPedigreeName()
  namespace?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(255)
  nameContains?: string | null;
}

export enum FeatureSetOrderField {
  NAME = "name",
  CREATED_AT = "createdAt",
  UPDATED_AT = "updatedAt",
}
registerEnumType(FeatureSetOrderField, { name: "FeatureSetOrderField" });

@InputType()
export class FeatureSetOrder {
  @Field(() => FeatureSetOrderField, { defaultValue: FeatureSetOrderField.NAME })
  field!: FeatureSetOrderField;

  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC })
  direction!: OrderDirection;
}
