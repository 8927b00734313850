import { DenseNetwork } from "./dense-network.js";
import { TrainingAbortedError } from "./errors.js";
import { accuracy, logLoss, positiveScores, regressionMetrics, rocAuc } from "./metrics.js";
import { MODEL_DEFINITIONS } from "./models.js";
import { createOptimizer } from "./optimizer.js";
import { permutationImportance } from "./permutation-importance.js";
import { evaluateOutputs, networkOutputs, toModelOutputs } from "./predict.js";
import { prepareTrainingData } from "./prepare-data.js";
import { SeededRandom } from "./random.js";
import { resolveTrainingSpec } from "./resolve-spec.js";
import { splitRows } from "./split.js";
import { fitStandardizer, standardizeRows } from "./standardizer.js";
import { type DataPart, runTrainingLoop, yieldToEventLoop } from "./training-loop.js";
import type { EpochMetrics, ModelTask, TrainedModel, TrainingData, TrainingHooks, TrainingSpec } from "./types.js";

/**
 * Trains a model: validates spec and data, splits rows (seeded, stratified for classification),
 * standardizes features on the training rows, runs mini-batch gradient descent with early stopping,
 * evaluates on both parts and computes permutation importance on the validation rows.
 *
 * Deterministic: the same spec (seed included) and data give bit-identical weights and metrics.
 * Throws TrainingSpecError, TrainingDataError, TrainingDivergedError or TrainingAbortedError.
 */
export async function train(spec: TrainingSpec, data: TrainingData, hooks: TrainingHooks = {}): Promise<TrainedModel> {
  const resolved = resolveTrainingSpec(spec);
  const prepared = prepareTrainingData(data, resolved.task);
  const { featureCount, rowCount, classes } = prepared;
  const classCount = classes?.length ?? 0;
  const task: ModelTask = resolved.task === "regression" ? "regression" : classCount === 2 ? "binary" : "multiclass";
  // One independent random stream per purpose: changing how many numbers one uses leaves the others alone.
  const [splitRandom, initRandom, batchRandom, importanceRandom] = SeededRandom.streams(resolved.seed, 4);

  const strata = resolved.stratify ? Int32Array.from(prepared.targets) : undefined;
  const split = splitRows(rowCount, resolved.validationFraction, splitRandom!, strata);
  const standardizer = fitStandardizer(prepared.features, featureCount, split.train);
  const targetScaler = task === "regression" ? fitTargetScaler(prepared.targets, split.train) : undefined;
  // Targets as given (class indices or values) for metrics; the network trains on scaled regression targets.
  const part = (rows: Uint32Array): DataPart => ({
    features: standardizeRows(standardizer, prepared.features, featureCount, rows),
    targets: Float64Array.from(rows, (row) => prepared.targets[row]!),
    rowCount: rows.length,
  });
  const trainPart = part(split.train);
  const validationPart = part(split.validation);
  const networkTrainPart: DataPart = targetScaler
    ? { ...trainPart, targets: trainPart.targets.map((y) => (y - targetScaler.mean) / targetScaler.scale) }
    : trainPart;

  const definition = MODEL_DEFINITIONS[resolved.model];
  const network = new DenseNetwork(definition.shape(featureCount, task, classCount, resolved));
  network.initialize(initRandom!);
  const outputsOf = (features: Float64Array, rows: number) => networkOutputs(network, features, rows, task, targetScaler);

  const validate = (): Omit<EpochMetrics, "epoch" | "loss"> => {
    const outputs = outputsOf(validationPart.features, validationPart.rowCount);
    const actual = validationPart.targets;
    if (task === "regression") {
      const metrics = regressionMetrics(actual, outputs);
      return { valLoss: metrics.mse, valRmse: metrics.rmse, valR2: metrics.r2 };
    }
    return {
      valLoss: logLoss(actual, outputs, classCount),
      valAccuracy: accuracy(actual, outputs, classCount),
      ...(task === "binary" ? { valAuc: rocAuc(positiveScores(outputs, validationPart.rowCount), actual) } : {}),
    };
  };

  const loop = await runTrainingLoop({
    network,
    optimizer: createOptimizer(resolved.optimizer, network.parameters.length),
    train: networkTrainPart,
    spec: resolved,
    random: batchRandom!,
    lossScale: targetScaler ? targetScaler.scale ** 2 : 1,
    validate,
    hooks,
  });

  const metrics = {
    train: evaluateOutputs(outputsOf(trainPart.features, trainPart.rowCount), trainPart.targets, task, classCount),
    validation: evaluateOutputs(
      outputsOf(validationPart.features, validationPart.rowCount),
      validationPart.targets,
      task,
      classCount,
    ),
  };

  let importance: TrainedModel["importance"] = [];
  if (resolved.importance) {
    const sample = sampleRows(validationPart.rowCount, resolved.importance.maxRows, importanceRandom!);
    const sampleFeatures = pickRows(validationPart.features, featureCount, sample);
    const sampleTargets = Float64Array.from(sample, (row) => validationPart.targets[row]!);
    const predictWithColumn = network.columnReplacementPredictor(sampleFeatures, sample.length);
    importance = await permutationImportance({
      featureNames: prepared.featureNames,
      rowCount: sample.length,
      column: (f) => Float64Array.from(sample, (_, k) => sampleFeatures[k * featureCount + f]!),
      // Scikit-learn's default scorers: accuracy for classifiers, R² for regressors.
      score: (f, values) => {
        const raw = values ? predictWithColumn(f, values) : network.predict(sampleFeatures, sample.length);
        const scored = evaluateOutputs(toModelOutputs(raw, sample.length, task, targetScaler), sampleTargets, task, classCount);
        return scored.task === "regression" ? scored.r2 : scored.accuracy;
      },
      repeats: resolved.importance.repeats,
      random: importanceRandom!,
      betweenFeatures: async () => {
        await yieldToEventLoop();
        if (hooks.signal?.aborted) throw new TrainingAbortedError(loop.epochs.length);
      },
    });
  }

  return {
    kind: resolved.model,
    task,
    featureNames: prepared.featureNames,
    targetName: prepared.targetName,
    ...(classes ? { classes } : {}),
    hyperparameters: resolved,
    standardizer,
    ...(targetScaler ? { targetScaler } : {}),
    network: network.toWeights(),
    metrics,
    epochs: loop.epochs,
    bestEpoch: loop.bestEpoch,
    stoppedEarly: loop.stoppedEarly,
    importance,
    split: { trainRows: split.train.length, validationRows: split.validation.length },
  };
}

/** Mean and population standard deviation of the training targets (scale 1 if constant). */
function fitTargetScaler(targets: Float64Array, rows: Uint32Array): { mean: number; scale: number } {
  let mean = 0;
  for (const row of rows) mean += targets[row]!;
  mean /= rows.length;
  let variance = 0;
  for (const row of rows) variance += (targets[row]! - mean) ** 2;
  const scale = Math.sqrt(variance / rows.length);
  return { mean, scale: scale > 0 ? scale : 1 };
}

/** All row indices when there are at most `max`, else a seeded sample of `max` of them, ascending. */
function sampleRows(rowCount: number, max: number, random: SeededRandom): Uint32Array {
  if (rowCount <= max) return Uint32Array.from({ length: rowCount }, (_, r) => r);
  return random.permutation(rowCount).slice(0, max).sort();
}

function pickRows(features: Float64Array, featureCount: number, rows: Uint32Array): Float64Array {
  const out = new Float64Array(rows.length * featureCount);
  rows.forEach((row, k) => {
    out.set(features.subarray(row * featureCount, (row + 1) * featureCount), k * featureCount);
  });
  return out;
}
