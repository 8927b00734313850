import { InputType, registerEnumType } from "type-graphql";
import { DescriptionUpdateInput } from "../graphql/description-update.input.js";
import { NamespacedNameFilterInput } from "../graphql/namespaced-name-filter.input.js";
import { NamespacedNameInput } from "../graphql/namespaced-name.input.js";
import { orderInput } from "../graphql/order.input.js";
import { OrderDirection } from "../graphql/page-args.js";

@InputType()
export class RegisterModelInput extends NamespacedNameInput {}

@InputType()
export class UpdateModelInput extends DescriptionUpdateInput {}

@InputType()
export class ModelFilterInput extends NamespacedNameFilterInput {}

export enum ModelOrderField {
  NAME = "name",
  CREATED_AT = "createdAt",
  UPDATED_AT = "updatedAt",
}
registerEnumType(ModelOrderField, { name: "ModelOrderField" });

@InputType()
export class ModelOrder extends orderInput(ModelOrderField, ModelOrderField.NAME, OrderDirection.ASC) {}
