import { IsOptional } from "class-validator";
import { Field, ID, InputType } from "type-graphql";
import { IsDescription } from "../lib/validators.js";

/**
 * The node to update and its new description, shared by the Update…Input classes.
 * Not in the schema itself: type-graphql 2 (no `isAbstract`) emits only input types that resolvers reference.
 */
@InputType()
export abstract class DescriptionUpdateInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsDescription()
  description?: string | null;
}
