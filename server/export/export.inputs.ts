import { IsOptional, Length } from "class-validator";
import { ArgsType, Field, ID, InputType } from "type-graphql";
import { DateTime } from "../graphql/scalars.js";
import { PageArgs } from "../graphql/page-args.js";
import { ExportKind, ExportStatus } from "./export.type.js";

/** Which audit events an export holds: auditEvents' filter, plus the target's kind and a namespace. */
@InputType()
export class AuditExportFilterInput {
  @Field(() => DateTime, { nullable: true, description: "Inclusive." })
  @IsOptional()
  since?: Date | null;

  @Field(() => DateTime, { nullable: true, description: "Exclusive; must be later than since." })
  @IsOptional()
  until?: Date | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 128)
  actor?: string | null;

  @Field(() => String, { nullable: true, description: "e.g. model_version.registered." })
  @IsOptional()
  @Length(1, 128)
  action?: string | null;

  @Field(() => String, { nullable: true, description: "Events about nodes of this kind, e.g. ModelVersion." })
  @IsOptional()
  @Length(1, 64)
  targetType?: string | null;

  @Field(() => ID, { nullable: true, description: "Events about this node." })
  @IsOptional()
  targetId?: string | null;

  @Field(() => ID, { nullable: true, description: "Events in this namespace." })
  @IsOptional()
  namespaceId?: string | null;
}

@ArgsType()
export class ExportListArgs extends PageArgs {
  @Field(() => ExportKind, { nullable: true })
  @IsOptional()
  kind?: ExportKind | null;

  @Field(() => ExportStatus, { nullable: true })
  @IsOptional()
  status?: ExportStatus | null;
}
