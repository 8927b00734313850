import { IsOptional, MaxLength } from "class-validator";
import { Field, InputType } from "type-graphql";
import { IsPedigreeName } from "../lib/validators.js";

/**
 * Namespace and name-substring conditions shared by the …FilterInput classes of named entities.
 * Not in the schema itself: type-graphql 2 (no `isAbstract`) emits only input types that resolvers reference.
 */
@InputType()
export abstract class NamespacedNameFilterInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsPedigreeName()
  namespace?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(255)
  nameContains?: string | null;
}
