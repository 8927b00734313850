import { ArrayMaxSize, IsIn, IsOptional, Length, Matches, MaxLength, ValidateNested } from "class-validator";
import { GraphQLJSON } from "graphql-scalars";
import { Field, Float, ID, InputType, Int, registerEnumType } from "type-graphql";
import { DescriptionUpdateInput } from "../graphql/description-update.input.js";
import { NamespacedNameFilterInput } from "../graphql/namespaced-name-filter.input.js";
import { NamespacedNameInput } from "../graphql/namespaced-name.input.js";
import { orderInput } from "../graphql/order.input.js";
import { OrderDirection } from "../graphql/page-args.js";
import { DateTime, JSONObject } from "../graphql/scalars.js";
import { IsPedigreeName } from "../lib/validators.js";
import { InputRole, RunStatus } from "./run.type.js";

const JOB_TYPE = /^[A-Za-z0-9_.\-/ ]{1,64}$/;

@InputType()
export class RegisterJobInput extends NamespacedNameInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(JOB_TYPE, { message: "$property must be 1–64 letters, digits, spaces or _ . - /" })
  jobType?: string | null;
}

@InputType()
export class UpdateJobInput extends DescriptionUpdateInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(JOB_TYPE, { message: "$property must be 1–64 letters, digits, spaces or _ . - /" })
  jobType?: string | null;
}

@InputType()
export class JobFilterInput extends NamespacedNameFilterInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(64)
  jobType?: string | null;
}

export enum JobOrderField {
  NAME = "name",
  CREATED_AT = "createdAt",
  UPDATED_AT = "updatedAt",
}
registerEnumType(JobOrderField, { name: "JobOrderField" });

@InputType()
export class JobOrder extends orderInput(JobOrderField, JobOrderField.NAME, OrderDirection.ASC) {}

@InputType({ description: "A dataset version a run reads, and its role." })
export class RunInputInput {
  @Field(() => ID)
  datasetVersionId!: string;

  @Field(() => InputRole, { defaultValue: InputRole.TRAIN })
  role!: InputRole;
}

@InputType()
export class StartRunInput {
  @Field(() => String)
  @IsPedigreeName()
  namespace!: string;

  @Field(() => String, { description: "Job name; the job is created if new." })
  @IsPedigreeName()
  job!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(JOB_TYPE, { message: "$property must be 1–64 letters, digits, spaces or _ . - /" })
  jobType?: string | null;

  @Field(() => String, { nullable: true, description: "Your own run id; repeating it returns the same run." })
  @IsOptional()
  @Length(1, 255)
  externalId?: string | null;

  @Field(() => ID, { nullable: true, description: "The sweep (parent run) this run belongs to." })
  @IsOptional()
  parentRunId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  commitId?: string | null;

  @Field(() => JSONObject, { nullable: true, description: "@defaultValue {}" })
  @IsOptional()
  hyperparameters?: Record<string, unknown> | null;

  @Field(() => [RunInputInput], { defaultValue: [] })
  @ArrayMaxSize(1_000)
  @ValidateNested({ each: true })
  inputs!: RunInputInput[];

  @Field(() => [ID], { defaultValue: [] })
  @ArrayMaxSize(5_000)
  featureIds!: string[];

  @Field(() => RunStatus, { defaultValue: RunStatus.RUNNING, description: "PENDING or RUNNING." })
  @IsIn([RunStatus.PENDING, RunStatus.RUNNING], { message: "$property must be PENDING or RUNNING when a run starts" })
  status!: RunStatus.PENDING | RunStatus.RUNNING;

  @Field(() => DateTime, { nullable: true })
  @IsOptional()
  startedAt?: Date | null;

  @Field(() => DateTime, { nullable: true })
  @IsOptional()
  nominalTime?: Date | null;
}

@InputType()
export class UpdateRunInput {
  @Field(() => ID)
  id!: string;

  @Field(() => RunStatus, { nullable: true })
  @IsOptional()
  status?: RunStatus | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(10_000)
  errorMessage?: string | null;

  @Field(() => DateTime, { nullable: true })
  @IsOptional()
  endedAt?: Date | null;
}

@InputType({ description: "A condition on one key of a JSON value; all given operators must hold." })
export class ValuePredicateInput {
  @Field(() => String)
  @Length(1, 255)
  key!: string;

  @Field(() => GraphQLJSON, { nullable: true, description: "Equal to this string, number or boolean." })
  eq?: string | number | boolean | null;

  @Field(() => Float, { nullable: true })
  gt?: number | null;

  @Field(() => Float, { nullable: true })
  gte?: number | null;

  @Field(() => Float, { nullable: true })
  lt?: number | null;

  @Field(() => Float, { nullable: true })
  lte?: number | null;
}

@InputType()
export class RunFilterInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsPedigreeName()
  namespace?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  jobId?: string | null;

  @Field(() => RunStatus, { nullable: true })
  @IsOptional()
  status?: RunStatus | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  parentRunId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  commitId?: string | null;

  @Field(() => [ValuePredicateInput], { nullable: true, description: "Conditions on hyperparameter values." })
  @IsOptional()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  hyperparameters?: ValuePredicateInput[] | null;

  @Field(() => [ValuePredicateInput], { nullable: true, description: "Conditions on the latest value of metrics." })
  @IsOptional()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  metrics?: ValuePredicateInput[] | null;
}

export enum RunOrderField {
  CREATED_AT = "createdAt",
  UPDATED_AT = "updatedAt",
}
registerEnumType(RunOrderField, { name: "RunOrderField" });

@InputType()
export class RunOrder extends orderInput(RunOrderField, RunOrderField.CREATED_AT, OrderDirection.DESC) {}

@InputType()
export class MetricPointInput {
  @Field(() => String)
  key!: string;

  @Field(() => Float)
  value!: number;

  @Field(() => Int, { nullable: true, description: "Step (epoch, iteration). @defaultValue 0" })
  step?: number | null;

  @Field(() => DateTime, { nullable: true, description: "@defaultValue now" })
  timestamp?: Date | null;
}

@InputType()
export class LogMetricsInput {
  @Field(() => ID)
  runId!: string;

  @Field(() => [MetricPointInput], { description: "1 to 10,000 points." })
  points!: MetricPointInput[];
}
