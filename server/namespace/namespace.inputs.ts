import { IsOptional } from "class-validator";
import { Field, InputType, registerEnumType } from "type-graphql";
import { DescriptionUpdateInput } from "../graphql/description-update.input.js";
import { orderInput } from "../graphql/order.input.js";
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
export class UpdateNamespaceInput extends DescriptionUpdateInput {}

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
export class NamespaceOrder extends orderInput(NamespaceOrderField, NamespaceOrderField.NAME, OrderDirection.ASC) {}
