import { IsOptional, MaxLength } from "class-validator";
import { Field, ID, InputType, registerEnumType } from "type-graphql";
import { OrderDirection } from "../graphql/page-args.js";
import { IsDescription, IsPedigreeName } from "../lib/validators.js";

@InputType()
export class RegisterModelInput {
  @Field(() => String)
  @IsPedigreeName()
  namespace!: string;

  @Field(() => String)
  @IsPedigreeName()
  name!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsDescription()
  description?: string | null;
}

@InputType()
export class UpdateModelInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsDescription()
  description?: string | null;
}

@InputType()
export class ModelFilterInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsPedigreeName()
  namespace?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(255)
  nameContains?: string | null;
}

export enum ModelOrderField {
  NAME = "name",
  CREATED_AT = "createdAt",
  UPDATED_AT = "updatedAt",
}
registerEnumType(ModelOrderField, { name: "ModelOrderField" });

@InputType()
export class ModelOrder {
  @Field(() => ModelOrderField, { defaultValue: ModelOrderField.NAME })
  field!: ModelOrderField;

  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC })
  direction!: OrderDirection;
}
