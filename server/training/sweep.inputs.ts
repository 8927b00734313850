import { ArrayMaxSize, IsOptional, Length, Max, Min, ValidateNested } from "class-validator";
import { GraphQLJSON } from "graphql-scalars";
import { Field, Float, InputType, Int, registerEnumType } from "type-graphql";
import type { ParameterValue } from "./sweep-space.js";
import { StartTrainingInput } from "./training.inputs.js";

export enum SweepStrategy {
  GRID = "GRID",
  RANDOM = "RANDOM",
}
registerEnumType(SweepStrategy, {
  name: "SweepStrategy",
  valuesConfig: {
    GRID: { description: "Every combination of the listed values (the last parameter varies fastest)." },
    RANDOM: {
      description: "`trials` points drawn from the parameters' values or ranges; the same searchSeed draws the same points.",
    },
  },
});

export enum SweepGoal {
  MAXIMIZE = "MAXIMIZE",
  MINIMIZE = "MINIMIZE",
}
registerEnumType(SweepGoal, {
  name: "SweepGoal",
  description: "Whether a higher or a lower value of the sweep's metric is better.",
});

export enum SweepScale {
  LINEAR = "LINEAR",
  LOG = "LOG",
}
registerEnumType(SweepScale, {
  name: "SweepScale",
  valuesConfig: {
    LINEAR: { description: "Uniform between min and max." },
    LOG: {
      description: "Log-uniform between min and max (both > 0): each power of ten is as likely; for learning rates and l2.",
    },
  },
});

/** Most parameters one sweep may vary. */
export const MAX_SWEEP_PARAMETERS = 20;

@InputType({ description: "One hyperparameter a sweep varies: listed values, or (random search) a numeric range." })
export class SweepParameterInput {
  @Field(() => String, {
    description:
      "Hyperparameter path: seed, maxEpochs, batchSize, l2, optimizer.kind, optimizer.learningRate, optimizer.beta1, optimizer.beta2, optimizer.epsilon, optimizer.momentum, earlyStopping, earlyStopping.patience, earlyStopping.minDelta, hiddenLayers, activation.",
  })
  @Length(1, 100)
  name!: string;

  @Field(() => [GraphQLJSON], {
    nullable: true,
    description:
      "Values to try (numbers, strings, booleans, lists such as hiddenLayers [16, 8]). A grid tries each; a random search draws one per trial.",
  })
  @IsOptional()
  @ArrayMaxSize(1_000)
  values?: ParameterValue[] | null;

  @Field(() => Float, { nullable: true, description: "Lower bound of a range (random search), included." })
  @IsOptional()
  min?: number | null;

  @Field(() => Float, { nullable: true, description: "Upper bound of a range (random search), included." })
  @IsOptional()
  max?: number | null;

  @Field(() => SweepScale, { nullable: true, description: "How a range is drawn. @defaultValue LINEAR" })
  @IsOptional()
  scale?: SweepScale | null;

  @Field(() => Boolean, { nullable: true, description: "Draw whole numbers from the range (e.g. batchSize, maxEpochs)." })
  @IsOptional()
  integer?: boolean | null;
}

@InputType({
  description:
    "A hyperparameter sweep: the training of startTraining (whose hyperparameters and seed are the base) run once per trial of a search space, as child runs of one parent run.",
})
export class StartSweepInput extends StartTrainingInput {
  @Field(() => SweepStrategy)
  strategy!: SweepStrategy;

  @Field(() => [SweepParameterInput], { description: "The search space: one entry per hyperparameter to vary." })
  @ArrayMaxSize(MAX_SWEEP_PARAMETERS)
  @ValidateNested({ each: true })
  parameters!: SweepParameterInput[];

  @Field(() => Int, { nullable: true, description: "Trials of a RANDOM search (a grid runs every combination)." })
  @IsOptional()
  trials?: number | null;

  @Field(() => Int, { nullable: true, description: "Seed of a RANDOM search's draws. @defaultValue seed" })
  @IsOptional()
  @Min(0)
  @Max(2_147_483_647)
  searchSeed?: number | null;

  @Field(() => Int, { defaultValue: 2, description: "Most trials training at once." })
  @Min(1)
  @Max(100)
  maxParallel!: number;

  @Field(() => String, {
    description:
      "Validation metric of the registered model versions to rank trials by: accuracy, precision, recall, f1, rocAuc, logLoss (classification) or r2, rmse, mse, mae (regression).",
  })
  @Length(1, 100)
  metric!: string;

  @Field(() => SweepGoal, {
    nullable: true,
    description: "@defaultValue the metric's natural direction (MINIMIZE for losses and errors).",
  })
  @IsOptional()
  goal?: SweepGoal | null;
}
