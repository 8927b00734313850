import { Field, InputType } from "type-graphql";
import { OrderDirection } from "./page-args.js";

/**
 * The base of a list's `…Order` input: `field` (one of `fieldEnum`, a registered enum) and
 * `direction`, with their defaults. Extend it: `@InputType() class DatasetOrder extends orderInput(…) {}`.
 * The returned base class itself is never in the schema (no resolver references it).
 */
export function orderInput<TField extends string>(
  fieldEnum: Record<string, TField>,
  defaultField: TField,
  defaultDirection: OrderDirection,
) {
  @InputType()
  abstract class OrderInput {
    @Field(() => fieldEnum, { defaultValue: defaultField })
    field!: TField;

    @Field(() => OrderDirection, { defaultValue: defaultDirection })
    direction!: OrderDirection;
  }
  return OrderInput;
}
