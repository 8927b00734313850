import { ArrayMaxSize, ArrayMinSize, IsOptional, MaxLength } from "class-validator";
import { Field, Float, ID, InputType } from "type-graphql";
import { DateTime } from "../graphql/scalars.js";
import type { AlertKindValue } from "./alerts/alert-rules.js";
import type { AlertStatusValue } from "./alerts/alert.repository.js";
import { MAX_GROUND_TRUTH_ENTRIES } from "./ground-truth/ground-truth.service.js";
import { AlertKind, AlertStatus } from "./monitoring.type.js";

@InputType({ description: "Edits a deployment's alert rule, or adds one under a new name." })
export class UpdateAlertRuleInput {
  @Field(() => ID)
  deploymentId!: string;

  @Field(() => AlertKind)
  kind!: AlertKindValue;

  @Field(() => String, { nullable: true, description: "Rule name; omitted means the built-in rule of `kind`." })
  @IsOptional()
  @MaxLength(63)
  name?: string | null;

  @Field(() => Float, { nullable: true, description: "Omitted keeps the current threshold (required for a new rule)." })
  threshold?: number | null;

  @Field(() => Boolean, { nullable: true, description: "Omitted keeps the current state." })
  enabled?: boolean | null;
}

@InputType()
export class AlertFilterInput {
  @Field(() => ID, { nullable: true })
  deploymentId?: string | null;

  @Field(() => String, { nullable: true, description: "Namespace name." })
  @IsOptional()
  @MaxLength(200)
  namespace?: string | null;

  @Field(() => [AlertStatus], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(3)
  statuses?: AlertStatusValue[] | null;

  @Field(() => [AlertKind], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(5)
  kinds?: AlertKindValue[] | null;
}

@InputType()
export class RunMonitoringInput {
  @Field(() => ID)
  deploymentId!: string;

  @Field(() => DateTime, { nullable: true, description: "Window start; default one hour before `to`." })
  from?: Date | null;

  @Field(() => DateTime, { nullable: true, description: "Window end (exclusive); default now." })
  to?: Date | null;
}

@InputType({ description: "The observed outcome of one served prediction." })
export class GroundTruthEntryInput {
  @Field(() => ID, { description: "The predictionId that predict returned." })
  predictionId!: string;

  @Field(() => String, { nullable: true, description: "The true class (classifiers)." })
  label?: string | null;

  @Field(() => Float, { nullable: true, description: "The true value (regressors)." })
  value?: number | null;
}

@InputType()
export class RecordGroundTruthInput {
  @Field(() => [GroundTruthEntryInput])
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_GROUND_TRUTH_ENTRIES)
  entries!: GroundTruthEntryInput[];
}
