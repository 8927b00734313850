import { IsEmail, IsOptional, Length, MaxLength } from "class-validator";
import { Field, ID, InputType } from "type-graphql";
import { DateTime } from "../graphql/scalars.js";
import { IsPedigreeName } from "../lib/validators.js";
import { RoleValue } from "./identity.type.js";

@InputType()
export class CreateUserInput {
  @Field(() => String)
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 255)
  displayName?: string | null;

  @Field(() => RoleValue, { nullable: true, description: "A global role to bind right away." })
  @IsOptional()
  role?: RoleValue | null;
}

@InputType()
export class CreateApiTokenInput {
  @Field(() => String, { description: "What the token is for, e.g. `ci-pipeline`." })
  @IsPedigreeName()
  @MaxLength(100)
  name!: string;

  @Field(() => DateTime, { nullable: true, description: "When the token stops working; null: never." })
  @IsOptional()
  expiresAt?: Date | null;

  @Field(() => ID, { nullable: true, description: "ADMIN only: issue the token to this user instead of the caller." })
  @IsOptional()
  userId?: string | null;
}

@InputType({ description: "A role for a user, everywhere (no namespace) or in one namespace." })
export class RoleBindingInput {
  @Field(() => ID)
  userId!: string;

  @Field(() => RoleValue)
  role!: RoleValue;

  @Field(() => String, { nullable: true, description: "Namespace name; absent: the binding is global." })
  @IsOptional()
  @IsPedigreeName()
  namespace?: string | null;
}
