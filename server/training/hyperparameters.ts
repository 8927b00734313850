import { type ZodError, z } from "zod";
import {
  resolveTrainingSpec,
  type ModelKind,
  type ResolvedTrainingSpec,
  type TrainingSpec,
  TrainingSpecError,
} from "../../workers/training/index.js";
import { InputInvalidError } from "../errors/common-errors.js";

const optionalNumber = z.number().optional();

/**
 * The hyperparameters a client may set (TrainingSpec without `model` and `seed`, which have their
 * own input fields). Shapes are checked here; ranges by resolveTrainingSpec, which also fills defaults.
 */
const hyperparametersSchema = z.strictObject({
  task: z.enum(["classification", "regression"]).optional(),
  validationFraction: optionalNumber,
  stratify: z.boolean().optional(),
  maxEpochs: optionalNumber,
  batchSize: optionalNumber,
  optimizer: z
    .discriminatedUnion("kind", [
      z.strictObject({
        kind: z.literal("adam"),
        learningRate: optionalNumber,
        beta1: optionalNumber,
        beta2: optionalNumber,
        epsilon: optionalNumber,
      }),
      z.strictObject({ kind: z.literal("sgd"), learningRate: optionalNumber, momentum: optionalNumber }),
    ])
    .optional(),
  l2: optionalNumber,
  earlyStopping: z.union([z.literal(false), z.strictObject({ patience: optionalNumber, minDelta: optionalNumber })]).optional(),
  hiddenLayers: z.array(z.number()).optional(),
  activation: z.enum(["relu", "tanh"]).optional(),
  importance: z.union([z.literal(false), z.strictObject({ repeats: optionalNumber, maxRows: optionalNumber })]).optional(),
});

/** Where a TrainingSpec field is set in StartTrainingInput. */
function inputField(specField: string, prefix: string): string {
  if (specField === "model") return "input.algorithm";
  if (specField === "seed") return "input.seed";
  return `${prefix}.${specField}`;
}

function firstIssue(error: ZodError, prefix: string): InputInvalidError {
  const issue = error.issues[0]!;
  const path = [prefix, ...issue.path.map((part) => (typeof part === "number" ? `[${part}]` : `.${String(part)}`))]
    .join("")
    .replaceAll(".[", "[");
  if (issue.code === "unrecognized_keys") {
    const key = issue.keys[0]!;
    const known = path === prefix ? ` Known: ${Object.keys(hyperparametersSchema.shape).join(", ")}.` : "";
    const hint = key === "model" || key === "seed" ? ` Set it with input.${key === "model" ? "algorithm" : "seed"}.` : known;
    return new InputInvalidError(`${path}.${key}`, `is not a training hyperparameter.${hint}`);
  }
  return new InputInvalidError(path, `is invalid: ${issue.message}.`);
}

/**
 * The full spec of one training run from the client's algorithm, seed and hyperparameters JSON, with
 * every default filled in. Any problem is a BAD_USER_INPUT naming the field (e.g.
 * `input.hyperparameters.optimizer.learningRate`). `prefix` is where the JSON sits in the input.
 */
export function resolveHyperparameters(
  algorithm: ModelKind,
  seed: number,
  hyperparameters: Record<string, unknown>,
  prefix = "input.hyperparameters",
): ResolvedTrainingSpec {
  const parsed = hyperparametersSchema.safeParse(hyperparameters);
  if (!parsed.success) throw firstIssue(parsed.error, prefix);
  const spec: TrainingSpec = { ...parsed.data, model: algorithm, seed } as TrainingSpec;
  try {
    return resolveTrainingSpec(spec);
  } catch (error) {
    if (error instanceof TrainingSpecError) {
      const problem = error.message.slice(error.message.indexOf(`"${error.field}"`) + error.field.length + 3);
      throw new InputInvalidError(inputField(error.field, prefix), problem);
    }
    throw error;
  }
}
