import { IsOptional, Matches, MaxLength } from "class-validator";
import { Field, ID, InputType, registerEnumType } from "type-graphql";
import { orderInput } from "../graphql/order.input.js";
import { OrderDirection } from "../graphql/page-args.js";
import { DateTime } from "../graphql/scalars.js";
import { IsDescription, IsPedigreeName, MaxUtf8Bytes } from "../lib/validators.js";

// A URI with a scheme (https://github.com/acme/churn.git, ssh://…), or host/owner/name
// (github.com/acme/churn); either way no whitespace, so it prints and matches exactly.
const REPOSITORY_PATTERN = /^(?:[a-zA-Z][a-zA-Z0-9+.-]*:[^\s\p{Cc}]+|[^\s\p{Cc}/]+(?:\/[^\s\p{Cc}/]+)+)$/u;
const SHA_PATTERN = /^[0-9a-f]{7,64}$/;
// Git ref names never contain whitespace or control characters.
const BRANCH_PATTERN = /^[^\s\p{Cc}]+$/u;

function IsRepository(): PropertyDecorator {
  return (target, key) => {
    MaxLength(2048)(target, key);
    // The repository is part of a unique index, whose entries are limited in bytes.
    MaxUtf8Bytes(2048)(target, key);
    Matches(REPOSITORY_PATTERN, {
      message:
        "$property must be a URI (https://github.com/acme/churn.git) or host/owner/name (github.com/acme/churn) without whitespace",
    })(target, key);
  };
}

function IsCommitSha(): PropertyDecorator {
  return Matches(SHA_PATTERN, { message: "$property must be 7–64 lowercase hex characters (a commit SHA or its abbreviation)" });
}

function IsBranch(): PropertyDecorator {
  return (target, key) => {
    MaxLength(255)(target, key);
    Matches(BRANCH_PATTERN, { message: "$property must be a branch name without whitespace or control characters" })(target, key);
  };
}

@InputType()
export class RegisterCodeCommitInput {
  @Field(() => String)
  @IsPedigreeName()
  namespace!: string;

  @Field(() => String)
  @IsRepository()
  repository!: string;

  @Field(() => String, { description: "Same namespace + repository + SHA ⇒ same commit." })
  @IsCommitSha()
  sha!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsBranch()
  branch?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(512)
  author?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsDescription()
  message?: string | null;

  @Field(() => DateTime, { nullable: true })
  @IsOptional()
  committedAt?: Date | null;
}

@InputType({ description: "Corrects a commit's metadata; its identity (repository, SHA) never changes." })
export class UpdateCodeCommitInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsBranch()
  branch?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsDescription()
  message?: string | null;
}

@InputType()
export class CodeCommitFilterInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsPedigreeName()
  namespace?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsRepository()
  repository?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsBranch()
  branch?: string | null;

  @Field(() => String, { nullable: true, description: "A SHA or its abbreviation: commits whose SHA starts with it." })
  @IsOptional()
  @IsCommitSha()
  sha?: string | null;
}

export enum CodeCommitOrderField {
  COMMITTED_AT = "committedAt",
  CREATED_AT = "createdAt",
}
registerEnumType(CodeCommitOrderField, {
  name: "CodeCommitOrderField",
  valuesConfig: { COMMITTED_AT: { description: "Commits without a commit date come last in either direction." } },
});

@InputType()
export class CodeCommitOrder extends orderInput(CodeCommitOrderField, CodeCommitOrderField.COMMITTED_AT, OrderDirection.DESC) {}
