import { ArrayMaxSize, IsInt, IsOptional, Max, MaxLength, Min, ValidateNested } from "class-validator";
import { Field, Float, ID, InputType, registerEnumType } from "type-graphql";
import { DescriptionUpdateInput } from "../graphql/description-update.input.js";
import { NamespacedNameFilterInput } from "../graphql/namespaced-name-filter.input.js";
import { NamespacedNameInput } from "../graphql/namespaced-name.input.js";
import { orderInput } from "../graphql/order.input.js";
import { OrderDirection } from "../graphql/page-args.js";
import { IsContentDigest, IsPedigreeName, IsPedigreeUri } from "../lib/validators.js";
import { DatasetFormat } from "./dataset.type.js";

@InputType()
export class RegisterDatasetInput extends NamespacedNameInput {}

@InputType()
export class UpdateDatasetInput extends DescriptionUpdateInput {}

@InputType()
export class SchemaFieldInput {
  @Field(() => String)
  @IsPedigreeName()
  name!: string;

  @Field(() => String)
  @IsPedigreeName()
  type!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(2_000)
  description?: string | null;
}

@InputType()
export class RegisterDatasetVersionInput {
  @Field(() => String)
  @IsPedigreeName()
  namespace!: string;

  @Field(() => String, { description: "Dataset name; the dataset is created if new." })
  @IsPedigreeName()
  dataset!: string;

  @Field(() => String)
  @IsPedigreeUri()
  uri!: string;

  @Field(() => DatasetFormat)
  format!: DatasetFormat;

  @Field(() => String, { description: "Content digest, algorithm:hex (e.g. sha256:…). Same digest ⇒ same version." })
  @IsContentDigest()
  digest!: string;

  @Field(() => [SchemaFieldInput], { defaultValue: [] })
  @ArrayMaxSize(2_000)
  @ValidateNested({ each: true })
  schema!: SchemaFieldInput[];

  @Field(() => Float, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  rowCount?: number | null;

  @Field(() => Float, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  sizeBytes?: number | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(512)
  snapshotRef?: string | null;

  @Field(() => ID, { nullable: true, description: "The run that wrote this version (a PRODUCED edge)." })
  @IsOptional()
  producedByRunId?: string | null;
}

@InputType()
export class DatasetFilterInput extends NamespacedNameFilterInput {}

@InputType()
export class DatasetVersionFilterInput {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  datasetId?: string | null;

  @Field(() => DatasetFormat, { nullable: true })
  @IsOptional()
  format?: DatasetFormat | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsContentDigest()
  digest?: string | null;
}

export enum DatasetOrderField {
  NAME = "name",
  CREATED_AT = "createdAt",
  UPDATED_AT = "updatedAt",
}
registerEnumType(DatasetOrderField, { name: "DatasetOrderField" });

@InputType()
export class DatasetOrder extends orderInput(DatasetOrderField, DatasetOrderField.NAME, OrderDirection.ASC) {}

export enum DatasetVersionOrderField {
  VERSION = "version",
  CREATED_AT = "createdAt",
}
registerEnumType(DatasetVersionOrderField, { name: "DatasetVersionOrderField" });

@InputType()
export class DatasetVersionOrder extends orderInput(
  DatasetVersionOrderField,
  DatasetVersionOrderField.VERSION,
  OrderDirection.DESC,
) {}
