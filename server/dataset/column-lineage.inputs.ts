import { ArrayMaxSize, IsOptional, ValidateNested } from "class-validator";
import { Field, ID, InputType } from "type-graphql";
import { IsDescription, IsPedigreeName } from "../lib/validators.js";
import { MAX_TRANSFORMATIONS_PER_INPUT, MAX_DERIVATIONS_PER_CALL } from "./column-lineage.service.js";
import { ColumnTransformationSubtype, ColumnTransformationType } from "./dataset-field.type.js";

@InputType({ description: "One transformation of the OpenLineage columnLineage facet." })
export class ColumnTransformationInput {
  @Field(() => ColumnTransformationType)
  type!: ColumnTransformationType;

  @Field(() => ColumnTransformationSubtype, { nullable: true, description: "Must belong to the type." })
  @IsOptional()
  subtype?: ColumnTransformationSubtype | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsDescription()
  description?: string | null;

  @Field(() => Boolean, { defaultValue: false })
  masking!: boolean;
}

@InputType({ description: "A field of a dataset version that an output field is computed from." })
export class InputFieldInput {
  @Field(() => ID)
  datasetVersionId!: string;

  @Field(() => String, { description: "Field name; must be in the version's schema when it has one." })
  @IsPedigreeName()
  field!: string;

  @Field(() => [ColumnTransformationInput], {
    defaultValue: [],
    description: `How the output depends on this input (none when unknown); at most ${MAX_TRANSFORMATIONS_PER_INPUT}.`,
  })
  @ArrayMaxSize(MAX_TRANSFORMATIONS_PER_INPUT)
  @ValidateNested({ each: true })
  transformations!: ColumnTransformationInput[];
}

@InputType({ description: "An output field and the input fields it is computed from." })
export class FieldLineageInput {
  @Field(() => String, { description: "Field of the output version; must be in its schema when it has one." })
  @IsPedigreeName()
  field!: string;

  @Field(() => [InputFieldInput])
  @ArrayMaxSize(MAX_DERIVATIONS_PER_CALL)
  @ValidateNested({ each: true })
  inputs!: InputFieldInput[];
}

@InputType({
  description:
    "Column-level lineage of one output dataset version, shaped like the OpenLineage columnLineage facet. " +
    "Adds a DERIVES edge from each input field to its output field; lineage registered before is left as it is.",
})
export class RegisterColumnLineageInput {
  @Field(() => ID, { description: "The output dataset version." })
  datasetVersionId!: string;

  @Field(() => ID, { nullable: true, description: "The run that performed the transformation." })
  @IsOptional()
  runId?: string | null;

  @Field(() => [FieldLineageInput], {
    description: `Output fields; at least one, with at most ${MAX_DERIVATIONS_PER_CALL.toLocaleString("en")} inputs in all.`,
  })
  @ArrayMaxSize(MAX_DERIVATIONS_PER_CALL)
  @ValidateNested({ each: true })
  fields!: FieldLineageInput[];
}
