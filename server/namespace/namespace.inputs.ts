import { IsOptional } from "class-validator";
import { Field, ID, InputType, registerEnumType } from "type-graphql";
import { OrderDirection } from "../graphql/page-args.js";
import { IsDescription, IsPedigreeName } from "../lib/validators.js";

@InputType()
export class RegisterNamespaceInput {
  @Field(() => String)
  @IsPedigreeName()
  name!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsDescription()
  description?: string | null;
}

@InputType()
export class UpdateNamespaceInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsDescription()
  description?: string | null;
}

@InputType()
export class NamespaceFilterInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsPedigreeName()
  nameContains?: string | null;
}

export enum NamespaceOrderField {
  NAME = "name",
  CREATED_AT = "createdAt",
}
registerEnumType(NamespaceOrderField, { name: "NamespaceOrderField" });

@InputType()
export class NamespaceOrder {
  @Field(() => NamespaceOrderField, { defaultValue: NamespaceOrderField.NAME })
  field!: NamespaceOrderField;

  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC })
  direction!: OrderDirection;
}
