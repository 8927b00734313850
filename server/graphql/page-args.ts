import { ArgsType, Field, Int, registerEnumType } from "type-graphql";
import type { SortDirection } from "../lib/paginate.js";

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: "Page size, 0–100. @defaultValue 20" })
  first?: number | null;

  @Field(() => String, { nullable: true, description: "Cursor of the last edge of the previous page." })
  after?: string | null;
}

export enum OrderDirection {
  ASC = "asc",
  DESC = "desc",
}
registerEnumType(OrderDirection, { name: "OrderDirection" });

export function directionOf(direction: OrderDirection | undefined, fallback: SortDirection): SortDirection {
  return direction ?? fallback;
}
