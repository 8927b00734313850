import { Field, ID, InterfaceType } from "type-graphql";

/** Anything with a global id, fetchable through `node(id)`. */
@InterfaceType({ description: "An object with a global, opaque id." })
export abstract class Node {
  @Field(() => ID)
  id!: string;

  /** The row key behind the global id; not exposed. */
  key!: string;
}
