import { IsOptional, Length } from "class-validator";
import { Field, ID, InputType } from "type-graphql";
import { OrderDirection } from "../graphql/page-args.js";
import { DateTime } from "../graphql/scalars.js";

@InputType()
export class AuditEventFilterInput {
  @Field(() => ID, { nullable: true, description: "Events about this node." })
  @IsOptional()
  targetId?: string | null;

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
