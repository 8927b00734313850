import type { DenseNetwork } from "./dense-network.js";
import { TrainingAbortedError, TrainingDivergedError } from "./errors.js";
import type { Optimizer } from "./optimizer.js";
import type { SeededRandom } from "./random.js";
import type { EpochMetrics, ResolvedTrainingSpec, TrainingHooks } from "./types.js";

/** A part of the data, standardized, row-major, with encoded targets. */
export interface DataPart {
  features: Float64Array;
  targets: Float64Array;
  rowCount: number;
}

export interface TrainingLoopInput {
  network: DenseNetwork;
  optimizer: Optimizer;
  train: DataPart;
  spec: ResolvedTrainingSpec;
  /** Orders the batches of every epoch. */
  random: SeededRandom;
  /** Multiplies the summed batch loss into reported units (target scale² for regression, else 1). */
  lossScale: number;
  /** Validation metrics of the network's current weights; valLoss drives early stopping. */
  validate: () => Omit<EpochMetrics, "epoch" | "loss">;
  hooks: TrainingHooks;
}

export interface TrainingLoopResult {
  epochs: EpochMetrics[];
  bestEpoch: number;
  stoppedEarly: boolean;
}

/** Longest stretch of synchronous work before the loop lets other tasks (BullMQ lock renewal) run. */
const YIELD_AFTER_MS = 50;

/** Resolves on the next turn of the event loop. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Mini-batch gradient descent over shuffled batches, one validation pass per epoch, early stopping on
 * validation loss with patience. Leaves the best epoch's weights in `network.parameters` (the last
 * epoch's when early stopping is off).
 */
export async function runTrainingLoop(input: TrainingLoopInput): Promise<TrainingLoopResult> {
  const { network, optimizer, train, spec, random, hooks } = input;
  const parameters = network.parameters;
  const gradients = new Float64Array(parameters.length);
  const order = new Uint32Array(train.rowCount);
  for (let r = 0; r < train.rowCount; r++) order[r] = r;
  const early = spec.earlyStopping;
  const epochs: EpochMetrics[] = [];
  let best = Number.POSITIVE_INFINITY;
  let bestEpoch = 0;
  let bestParameters = parameters.slice();
  let stale = 0;
  let stoppedEarly = false;
  let lastYield = performance.now();

  for (let epoch = 1; epoch <= spec.maxEpochs; epoch++) {
    random.shuffle(order);
    let lossSum = 0;
    for (let start = 0; start < train.rowCount; start += spec.batchSize) {
      const batch = order.subarray(start, Math.min(start + spec.batchSize, train.rowCount));
      lossSum += network.batchGradient(train.features, train.targets, batch, gradients, spec.l2);
      optimizer.step(parameters, gradients);
      if (performance.now() - lastYield > YIELD_AFTER_MS) {
        await yieldToEventLoop();
        if (hooks.signal?.aborted) throw new TrainingAbortedError(epoch - 1);
        lastYield = performance.now();
      }
    }
    const loss = (lossSum / train.rowCount) * input.lossScale;
    const metrics: EpochMetrics = { epoch, loss, ...input.validate() };
    if (!Number.isFinite(loss) || !Number.isFinite(metrics.valLoss)) throw new TrainingDivergedError(epoch);
    epochs.push(metrics);
    await hooks.onEpoch?.(metrics, { epoch, maxEpochs: spec.maxEpochs });
    await yieldToEventLoop();
    if (hooks.signal?.aborted) throw new TrainingAbortedError(epoch);
    lastYield = performance.now();

    if (!early) continue;
    if (metrics.valLoss < best - early.minDelta) {
      best = metrics.valLoss;
      bestEpoch = epoch;
      bestParameters = parameters.slice();
      stale = 0;
    } else if (++stale >= early.patience) {
      stoppedEarly = epoch < spec.maxEpochs;
      break;
    }
  }
  if (early) parameters.set(bestParameters);
  else bestEpoch = epochs.length;
  return { epochs, bestEpoch, stoppedEarly };
}
