import { IsOptional, Length } from "class-validator";
import { Field, ID, InputType } from "type-graphql";
import { OrderDirection } from "../graphql/page-args.js";
import { DateTime } from "../graphql/scalars.js";
import { IsPedigreeName } from "../lib/validators.js";

@InputType()
export class AuditEventFilterInput {
  @Field(() => ID, { nullable: true, description: "Events about this node." })
  @IsOptional()
  targetId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "Events about any node of this kind, e.g. `DeploymentRevision` (ignored when targetId is given).",
  })
  @IsOptional()
  @Length(1, 64)
  targetType?: string | null;

  @Field(() => String, { nullable: true, description: "Events of this namespace (by name)." })
  @IsOptional()
  @IsPedigreeName()
  namespace?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 128)
  actor?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 128)
  action?: string | null;

  @Field(() => DateTime, { nullable: true, description: "Inclusive." })
  @IsOptional()
  since?: Date | null;

  @Field(() => DateTime, { nullable: true, description: "Exclusive." })
  @IsOptional()
  until?: Date | null;
}

@InputType({ description: "Audit events are ordered by when they were appended." })
export class AuditEventOrder {
  @Field(() => OrderDirection, { defaultValue: OrderDirection.DESC })
  direction!: OrderDirection;
}
