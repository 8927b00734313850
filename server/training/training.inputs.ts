import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsOptional, Length, Matches, Max, Min } from "class-validator";
import { Field, ID, InputType, Int, registerEnumType } from "type-graphql";
import { JSONObject } from "../graphql/scalars.js";
import { IsDescription, IsPedigreeName } from "../lib/validators.js";

export enum TrainingAlgorithm {
  LOGISTIC_REGRESSION = "logistic_regression",
  LINEAR_REGRESSION = "linear_regression",
  MLP = "mlp",
}
registerEnumType(TrainingAlgorithm, {
  name: "TrainingAlgorithm",
  description: "What to train. MLP needs hyperparameters.task (classification or regression).",
  valuesConfig: {
    LOGISTIC_REGRESSION: { description: "Binary (sigmoid) or multinomial (softmax) logistic regression." },
    LINEAR_REGRESSION: { description: "Least-squares linear regression (numeric target)." },
    MLP: { description: "Multi-layer perceptron, 1–4 hidden layers (hyperparameters.hiddenLayers, activation)." },
  },
});

/** Most feature columns one training run reads. */
export const MAX_FEATURE_COLUMNS = 1_000;
const COLUMN_PATTERN = /^[^\p{Cc}]+$/u;

@InputType({ description: "Train a model on registered dataset versions and register the result as a model version." })
export class StartTrainingInput {
  @Field(() => String)
  @IsPedigreeName()
  namespace!: string;

  @Field(() => String, { nullable: true, description: "Pipeline job the run belongs to. @defaultValue train-<model>" })
  @IsOptional()
  @IsPedigreeName()
  job?: string | null;

  @Field(() => String, { description: "Model to register a version of; created if new." })
  @IsPedigreeName()
  model!: string;

  @Field(() => ID, { description: "Dataset version to train on (a local CSV or Parquet file)." })
  trainDatasetVersionId!: string;

  @Field(() => ID, {
    nullable: true,
    description:
      "Held-out dataset version scored for the registered metrics. Without it, validation rows are split off the training data (hyperparameters.validationFraction).",
  })
  @IsOptional()
  validationDatasetVersionId?: string | null;

  @Field(() => [String], { description: "Numeric columns the model reads, in this order (its input signature)." })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_FEATURE_COLUMNS)
  @ArrayUnique({ message: "$property must not name a column twice" })
  @Length(1, 255, { each: true })
  @Matches(COLUMN_PATTERN, { each: true, message: "$property must be column names without control characters" })
  featureColumns!: string[];

  @Field(() => String, { description: "Column to predict: class labels (classification) or numbers (regression)." })
  @Length(1, 255)
  @Matches(COLUMN_PATTERN, { message: "$property must be a column name without control characters" })
  target!: string;

  @Field(() => TrainingAlgorithm)
  algorithm!: TrainingAlgorithm;

  @Field(() => JSONObject, {
    nullable: true,
    description:
      "Training settings over the algorithm's defaults: task, validationFraction, stratify, maxEpochs, batchSize, optimizer {kind: adam|sgd, learningRate, …}, l2, earlyStopping {patience, minDelta} or false, hiddenLayers, activation (relu|tanh), importance {repeats, maxRows} or false. The run records them with every default filled in.",
  })
  @IsOptional()
  hyperparameters?: Record<string, unknown> | null;

  @Field(() => Int, { defaultValue: 0, description: "Random seed: the same seed, data and settings train the same model." })
  @Min(0)
  @Max(2_147_483_647)
  seed!: number;

  @Field(() => ID, { nullable: true, description: "Code commit of the training code (a BUILT_FROM edge)." })
  @IsOptional()
  commitId?: string | null;

  @Field(() => [ID], { defaultValue: [], description: "Feature nodes the feature columns implement (USED edges)." })
  @ArrayMaxSize(MAX_FEATURE_COLUMNS)
  @ArrayUnique({ message: "$property must not name a feature twice" })
  featureIds!: string[];

  @Field(() => String, { nullable: true, description: "Description of the model version." })
  @IsOptional()
  @IsDescription()
  description?: string | null;
}
