// Public types of the training core: what the caller passes in and what it gets back.

export type ModelKind = "logistic_regression" | "linear_regression" | "mlp";
export type TaskKind = "classification" | "regression";
/** Classification splits into binary (one sigmoid output) and multiclass (softmax). */
export type ModelTask = "binary" | "multiclass" | "regression";
export type HiddenActivation = "relu" | "tanh";

export type OptimizerSpec =
  | { kind: "adam"; learningRate?: number; beta1?: number; beta2?: number; epsilon?: number }
  | { kind: "sgd"; learningRate?: number; momentum?: number };

export interface EarlyStoppingSpec {
  /** Epochs without a validation-loss improvement of at least minDelta before training stops. */
  patience?: number;
  minDelta?: number;
}

export interface ImportanceSpec {
  /** Permutations per feature; the reported importance is their mean. */
  repeats?: number;
  /** Validation rows used (a seeded sample when there are more). */
  maxRows?: number;
}

/** Hyperparameters of one training run. Omitted fields take the model kind's defaults. */
export interface TrainingSpec {
  model: ModelKind;
  /** Required for "mlp"; logistic regression is always classification, linear regression regression. */
  task?: TaskKind;
  /** Unsigned 32-bit integer; the same seed and data give bit-identical weights and metrics. */
  seed: number;
  /** Share of rows held out for validation, in (0, 0.9]. */
  validationFraction?: number;
  /** Keep class proportions in the split (classification only; default true). */
  stratify?: boolean;
  maxEpochs?: number;
  batchSize?: number;
  optimizer?: OptimizerSpec;
  /** L2 penalty (l2/2)·‖W‖² on weights, not biases. */
  l2?: number;
  /** `false` trains for maxEpochs and keeps the last weights. */
  earlyStopping?: EarlyStoppingSpec | false;
  /** MLP hidden layer widths, 1 to 4 layers. */
  hiddenLayers?: readonly number[];
  activation?: HiddenActivation;
  /** `false` skips permutation importance. */
  importance?: ImportanceSpec | false;
}

/** A TrainingSpec with every default filled in; recorded with the run as its hyperparameters. */
export interface ResolvedTrainingSpec {
  model: ModelKind;
  task: TaskKind;
  seed: number;
  validationFraction: number;
  stratify: boolean;
  maxEpochs: number;
  batchSize: number;
  optimizer:
    | { kind: "adam"; learningRate: number; beta1: number; beta2: number; epsilon: number }
    | { kind: "sgd"; learningRate: number; momentum: number };
  l2: number;
  earlyStopping: { patience: number; minDelta: number } | false;
  hiddenLayers: number[];
  activation: HiddenActivation;
  importance: { repeats: number; maxRows: number } | false;
}

/** Numeric training data as the worker reads it from a dataset version. */
export interface TrainingData {
  featureNames: readonly string[];
  /** Row-major N×F matrix: the value of feature f in row r is features[r * F + f]. */
  features: Float64Array;
  /**
   * One value per row. Regression needs numbers (pass NaN for a cell that did not parse);
   * classification takes numbers or strings as class labels.
   */
  target: Float64Array | readonly string[];
  /** Used in error messages; defaults to "target". */
  targetName?: string;
}

export interface EpochProgress {
  epoch: number;
  maxEpochs: number;
}

export interface TrainingHooks {
  /** Called after every epoch (awaited), e.g. to log the metrics to the run and publish progress. */
  onEpoch?: (metrics: EpochMetrics, progress: EpochProgress) => void | Promise<void>;
  /** Aborting stops training at the next batch boundary with TrainingAbortedError. */
  signal?: AbortSignal;
}

/** Per-epoch metrics: mean training loss over the epoch's batches, validation metrics after it. */
export interface EpochMetrics {
  /** 1-based. */
  epoch: number;
  /** Log loss (classification) or MSE in target units (regression), without the L2 term. */
  loss: number;
  valLoss: number;
  valAccuracy?: number;
  /** Binary classification only. */
  valAuc?: number;
  valRmse?: number;
  valR2?: number;
}

export interface ClassificationMetrics {
  task: "binary" | "multiclass";
  rows: number;
  accuracy: number;
  /** Binary: of the positive class (classes[1]); multiclass: macro average over classes. */
  precision: number;
  recall: number;
  f1: number;
  logLoss: number;
  /** ROC AUC of classes[1] against classes[0]; binary only. */
  rocAuc?: number;
  /** confusionMatrix[actual][predicted], in the order of `classes`. */
  confusionMatrix: number[][];
}

export interface RegressionMetrics {
  task: "regression";
  rows: number;
  mse: number;
  rmse: number;
  mae: number;
  r2: number;
}

export type ModelMetrics = ClassificationMetrics | RegressionMetrics;

export interface FeatureImportance {
  feature: string;
  /** Mean drop of the score (accuracy, or R² for regression) when the feature's column is permuted. */
  importance: number;
  /** Standard deviation of the drop over the repeats. */
  std: number;
}

/** Mean and scale of the standardization (x − mean) / scale fitted on the training rows. */
export interface Standardizer {
  mean: Float64Array;
  /** Population standard deviation; 1 for a constant column. */
  scale: Float64Array;
}

export type OutputActivation = "sigmoid" | "softmax" | "identity";

export interface DenseLayerWeights {
  inputSize: number;
  outputSize: number;
  /** Row-major inputSize × outputSize: weight from input i to output o is weights[i * outputSize + o]. */
  weights: Float64Array;
  bias: Float64Array;
}

export interface NetworkWeights {
  /** Activation after every layer but the last. */
  hiddenActivation: HiddenActivation;
  outputActivation: OutputActivation;
  layers: DenseLayerWeights[];
}

export interface TrainedModel {
  kind: ModelKind;
  task: ModelTask;
  featureNames: string[];
  targetName: string;
  /** Class labels in output order (classification); numbers are given as their string form. */
  classes?: string[];
  hyperparameters: ResolvedTrainingSpec;
  /** Applied to raw features before the network (and baked into the ONNX graph). */
  standardizer: Standardizer;
  /** Regression trains on (y − mean) / scale; predictions are mapped back. */
  targetScaler?: { mean: number; scale: number };
  /** Weights act on standardized features; for the linear models there is a single layer. */
  network: NetworkWeights;
  metrics: { train: ModelMetrics; validation: ModelMetrics };
  epochs: EpochMetrics[];
  /** Epoch whose weights were kept (the best validation loss under early stopping). */
  bestEpoch: number;
  stoppedEarly: boolean;
  /** Permutation importance on the validation rows, in feature order; empty when disabled. */
  importance: FeatureImportance[];
  split: { trainRows: number; validationRows: number };
}
