import type { NetworkShape } from "./dense-network.js";
import type { ModelKind, ModelTask, OutputActivation, ResolvedTrainingSpec, TaskKind } from "./types.js";

/** Default hyperparameters of a model kind (TrainingSpec fields the caller left out). */
export interface ModelDefaults {
  learningRate: number;
  batchSize: number;
  maxEpochs: number;
  l2: number;
  patience: number;
  hiddenLayers: number[];
}

/** What distinguishes one model kind: its task, defaults and network architecture. */
export interface ModelDefinition {
  kind: ModelKind;
  /** The task the kind always solves; undefined when the spec chooses (MLP). */
  fixedTask?: TaskKind;
  defaults: ModelDefaults;
  shape(featureCount: number, task: ModelTask, classCount: number, spec: ResolvedTrainingSpec): NetworkShape;
}

/** Output layer per task: one sigmoid unit (binary), a softmax over the classes, or one linear unit. */
export function outputHead(task: ModelTask, classCount: number): { outputSize: number; outputActivation: OutputActivation } {
  if (task === "binary") return { outputSize: 1, outputActivation: "sigmoid" };
  if (task === "multiclass") return { outputSize: classCount, outputActivation: "softmax" };
  return { outputSize: 1, outputActivation: "identity" };
}
