import { TrainingSpecError } from "./errors.js";
import { MODEL_DEFINITIONS, MODEL_KINDS } from "./models.js";
import type { ResolvedTrainingSpec, TrainingSpec } from "./types.js";

export const MAX_HIDDEN_LAYERS = 4;
export const MAX_LAYER_WIDTH = 4096;

/** Fills the model kind's defaults into a spec and checks every value; TrainingSpecError names the field. */
export function resolveTrainingSpec(spec: TrainingSpec): ResolvedTrainingSpec {
  const definition = MODEL_DEFINITIONS[spec.model];
  if (!definition) throw new TrainingSpecError("model", `must be one of ${MODEL_KINDS.join(", ")}; got "${spec.model}".`);
  const { defaults } = definition;

  if (definition.fixedTask && spec.task && spec.task !== definition.fixedTask) {
    throw new TrainingSpecError("task", `must be "${definition.fixedTask}" for ${spec.model}; got "${spec.task}".`);
  }
  const task = definition.fixedTask ?? spec.task;
  if (task !== "classification" && task !== "regression") {
    throw new TrainingSpecError("task", `must be "classification" or "regression" for ${spec.model}.`);
  }
  integer("seed", spec.seed, 0, 0xffffffff);

  const validationFraction = spec.validationFraction ?? 0.2;
  if (!(validationFraction > 0 && validationFraction <= 0.9)) {
    throw new TrainingSpecError("validationFraction", `must be in (0, 0.9]; got ${validationFraction}.`);
  }
  const maxEpochs = integer("maxEpochs", spec.maxEpochs ?? defaults.maxEpochs, 1, 100_000);
  const batchSize = integer("batchSize", spec.batchSize ?? defaults.batchSize, 1, 1_000_000);
  const l2 = spec.l2 ?? defaults.l2;
  if (!(l2 >= 0 && Number.isFinite(l2))) throw new TrainingSpecError("l2", `must be a finite number ≥ 0; got ${l2}.`);

  const optimizerSpec = spec.optimizer ?? { kind: "adam" };
  const learningRate = optimizerSpec.learningRate ?? defaults.learningRate;
  if (!(learningRate > 0 && Number.isFinite(learningRate))) {
    throw new TrainingSpecError("optimizer.learningRate", `must be a finite number > 0; got ${learningRate}.`);
  }
  let optimizer: ResolvedTrainingSpec["optimizer"];
  if (optimizerSpec.kind === "adam") {
    optimizer = {
      kind: "adam",
      learningRate,
      beta1: fraction("optimizer.beta1", optimizerSpec.beta1 ?? 0.9),
      beta2: fraction("optimizer.beta2", optimizerSpec.beta2 ?? 0.999),
      epsilon: positive("optimizer.epsilon", optimizerSpec.epsilon ?? 1e-8),
    };
  } else if (optimizerSpec.kind === "sgd") {
    optimizer = { kind: "sgd", learningRate, momentum: fraction("optimizer.momentum", optimizerSpec.momentum ?? 0.9) };
  } else {
    throw new TrainingSpecError("optimizer.kind", `must be "adam" or "sgd".`);
  }

  let earlyStopping: ResolvedTrainingSpec["earlyStopping"] = false;
  if (spec.earlyStopping !== false) {
    const patience = integer("earlyStopping.patience", spec.earlyStopping?.patience ?? defaults.patience, 1, 100_000);
    const minDelta = spec.earlyStopping?.minDelta ?? 1e-4;
    if (!(minDelta >= 0 && Number.isFinite(minDelta))) {
      throw new TrainingSpecError("earlyStopping.minDelta", `must be a finite number ≥ 0; got ${minDelta}.`);
    }
    earlyStopping = { patience, minDelta };
  }

  const hiddenLayers = [...(spec.hiddenLayers ?? defaults.hiddenLayers)];
  if (spec.model === "mlp") {
    if (hiddenLayers.length < 1 || hiddenLayers.length > MAX_HIDDEN_LAYERS) {
      throw new TrainingSpecError("hiddenLayers", `must list 1 to ${MAX_HIDDEN_LAYERS} layer widths.`);
    }
    hiddenLayers.forEach((width, k) => {
      integer(`hiddenLayers[${k}]`, width, 1, MAX_LAYER_WIDTH);
    });
  } else if (hiddenLayers.length > 0) {
    throw new TrainingSpecError("hiddenLayers", `applies to mlp only; ${spec.model} has no hidden layers.`);
  }
  const activation = spec.activation ?? "relu";
  if (activation !== "relu" && activation !== "tanh") {
    throw new TrainingSpecError("activation", `must be "relu" or "tanh"; got "${activation}".`);
  }

  let importance: ResolvedTrainingSpec["importance"] = false;
  if (spec.importance !== false) {
    importance = {
      repeats: integer("importance.repeats", spec.importance?.repeats ?? 5, 1, 100),
      maxRows: integer("importance.maxRows", spec.importance?.maxRows ?? 2000, 1, 1_000_000),
    };
  }

  return {
    model: spec.model,
    task,
    seed: spec.seed,
    validationFraction,
    stratify: task === "classification" && (spec.stratify ?? true),
    maxEpochs,
    batchSize,
    optimizer,
    l2,
    earlyStopping,
    hiddenLayers,
    activation,
    importance,
  };
}

function integer(field: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new TrainingSpecError(field, `must be an integer from ${min} to ${max}; got ${value}.`);
  }
  return value;
}

function fraction(field: string, value: number): number {
  if (!(value >= 0 && value < 1)) throw new TrainingSpecError(field, `must be in [0, 1); got ${value}.`);
  return value;
}

function positive(field: string, value: number): number {
  if (!(value > 0 && Number.isFinite(value))) throw new TrainingSpecError(field, `must be a finite number > 0; got ${value}.`);
  return value;
}
