import { IsOptional } from "class-validator";
import { Field, InputType } from "type-graphql";
import { IsDescription, IsPedigreeName } from "../lib/validators.js";

/**
 * The identity (namespace + name) and description shared by the inputs that register a named entity.
 * Not in the schema itself: type-graphql 2 (no `isAbstract`) emits only input types that resolvers reference.
 */
@InputType()
export abstract class NamespacedNameInput {
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
