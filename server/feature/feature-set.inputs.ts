import { ArrayMaxSize, ArrayUnique, IsOptional, Length, Matches } from "class-validator";
import { Field, InputType, registerEnumType } from "type-graphql";
import { DescriptionUpdateInput } from "../graphql/description-update.input.js";
import { NamespacedNameFilterInput } from "../graphql/namespaced-name-filter.input.js";
import { NamespacedNameInput } from "../graphql/namespaced-name.input.js";
import { orderInput } from "../graphql/order.input.js";
import { OrderDirection } from "../graphql/page-args.js";

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
export class RegisterFeatureSetInput extends NamespacedNameInput {
  @Field(() => [String], { defaultValue: [], description: "At most 32." })
  @IsEntityKeys()
  entityKeys!: string[];
}

@InputType()
export class UpdateFeatureSetInput extends DescriptionUpdateInput {
  @Field(() => [String], { nullable: true, description: "Replaces the entity keys when given. At most 32." })
  @IsOptional()
  @IsEntityKeys()
  entityKeys?: string[] | null;
}

@InputType()
export class FeatureSetFilterInput extends NamespacedNameFilterInput {}

export enum FeatureSetOrderField {
  NAME = "name",
  CREATED_AT = "createdAt",
  UPDATED_AT = "updatedAt",
}
registerEnumType(FeatureSetOrderField, { name: "FeatureSetOrderField" });

@InputType()
export class FeatureSetOrder extends orderInput(FeatureSetOrderField, FeatureSetOrderField.NAME, OrderDirection.ASC) {}
