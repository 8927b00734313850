import type { SeededRandom } from "./random.js";
import type { HiddenActivation, NetworkWeights, OutputActivation } from "./types.js";

/** Layer sizes and activations of a fully connected network; no hidden layers makes a linear model. */
export interface NetworkShape {
  inputSize: number;
  hiddenSizes: readonly number[];
  outputSize: number;
  hiddenActivation: HiddenActivation;
  outputActivation: OutputActivation;
}

interface LayerSlot {
  inputSize: number;
  outputSize: number;
  /** Offsets into the flat parameter vector: weights (inputSize × outputSize, row-major), then bias. */
  weightOffset: number;
  biasOffset: number;
}

/** Rows processed at once when predicting, bounding the activation buffers. */
const PREDICT_CHUNK_ROWS = 1024;

/**
 * A dense feed-forward network over one flat parameter vector (so one optimizer and one copy for
 * "best weights" serve every layer). Losses pair with output activations so that the output delta is
 * always (output − target): sigmoid + binary cross-entropy, softmax + categorical cross-entropy,
 * identity + squared error / 2.
 */
export class DenseNetwork {
  readonly parameters: Float64Array;
  private readonly layers: LayerSlot[];
  private capacity = 0;
  private input = new Float64Array(0);
  private outputs: Float64Array[] = [];
  private deltas: Float64Array[] = [];

  constructor(
    readonly shape: NetworkShape,
    parameters?: Float64Array,
  ) {
    const sizes = [shape.inputSize, ...shape.hiddenSizes, shape.outputSize];
    this.layers = [];
    let offset = 0;
    for (let l = 0; l + 1 < sizes.length; l++) {
      const inputSize = sizes[l]!;
      const outputSize = sizes[l + 1]!;
      this.layers.push({ inputSize, outputSize, weightOffset: offset, biasOffset: offset + inputSize * outputSize });
      offset += inputSize * outputSize + outputSize;
    }
    if (parameters && parameters.length !== offset) {
      throw new Error(`Network needs ${offset} parameters, got ${parameters.length}.`);
    }
    this.parameters = parameters ?? new Float64Array(offset);
  }

  /** Number of outputs per row of `predict`: 1 for sigmoid and identity heads, K for softmax. */
  get outputSize(): number {
    return this.shape.outputSize;
  }

  /**
   * Seeded initial weights, biases 0. Without hidden layers (the convex linear models) all start at 0;
   * hidden layers use He-uniform (ReLU) or Glorot-uniform (tanh), the output layer Glorot-uniform.
   */
  initialize(random: SeededRandom): void {
    this.parameters.fill(0);
    if (this.layers.length === 1) return;
    this.layers.forEach((layer, l) => {
      const isOutput = l === this.layers.length - 1;
      const limit =
        !isOutput && this.shape.hiddenActivation === "relu"
          ? Math.sqrt(6 / layer.inputSize)
          : Math.sqrt(6 / (layer.inputSize + layer.outputSize));
      const end = layer.weightOffset + layer.inputSize * layer.outputSize;
      for (let p = layer.weightOffset; p < end; p++) this.parameters[p] = (2 * random.float() - 1) * limit;
    });
  }

  /** Outputs after the output activation for every row of a row-major matrix: probabilities or values. */
  predict(features: Float64Array, rowCount: number): Float64Array {
    const { inputSize, outputSize } = this.shape;
    const result = new Float64Array(rowCount * outputSize);
    for (let start = 0; start < rowCount; start += PREDICT_CHUNK_ROWS) {
      const rows = Math.min(PREDICT_CHUNK_ROWS, rowCount - start);
      this.ensureCapacity(rows);
      this.input.set(features.subarray(start * inputSize, (start + rows) * inputSize));
      this.linear(0, this.input, rows);
      const logits = this.forwardFrom(0, rows);
      const out = result.subarray(start * outputSize, (start + rows) * outputSize);
      applyOutputActivation(this.shape.outputActivation, logits, rows, outputSize, out);
    }
    return result;
  }

  /**
   * Predictions for `features` with one column replaced, for permutation importance. The first
   * layer's products are computed once; replacing column c only adds (new − old)·W[c, :] to them,
   * so each call costs the hidden layers alone instead of a full pass over all features.
   */
  columnReplacementPredictor(features: Float64Array, rowCount: number): (column: number, values: Float64Array) => Float64Array {
    const { inputSize, outputSize } = this.shape;
    const first = this.layers[0]!;
    const width = first.outputSize;
    const base = new Float64Array(rowCount * width);
    for (let start = 0; start < rowCount; start += PREDICT_CHUNK_ROWS) {
      const rows = Math.min(PREDICT_CHUNK_ROWS, rowCount - start);
      this.ensureCapacity(rows);
      this.input.set(features.subarray(start * inputSize, (start + rows) * inputSize));
      this.linear(0, this.input, rows);
      base.set(this.outputs[0]!.subarray(0, rows * width), start * width);
    }
    return (column, values) => {
      const result = new Float64Array(rowCount * outputSize);
      const params = this.parameters;
      const weightBase = first.weightOffset + column * width;
      for (let start = 0; start < rowCount; start += PREDICT_CHUNK_ROWS) {
        const rows = Math.min(PREDICT_CHUNK_ROWS, rowCount - start);
        this.ensureCapacity(rows);
        const preactivation = this.outputs[0]!;
        preactivation.set(base.subarray(start * width, (start + rows) * width));
        for (let r = 0; r < rows; r++) {
          const row = start + r;
          const change = values[row]! - features[row * inputSize + column]!;
          if (change === 0) continue;
          for (let o = 0; o < width; o++) preactivation[r * width + o]! += change * params[weightBase + o]!;
        }
        const logits = this.forwardFrom(0, rows);
        const out = result.subarray(start * outputSize, (start + rows) * outputSize);
        applyOutputActivation(this.shape.outputActivation, logits, rows, outputSize, out);
      }
      return result;
    };
  }

  /**
   * Gradient of the mean loss over one mini-batch plus (l2/2)·‖W‖², written into `gradients`.
   * `rows` index rows of `features`; `targets` holds per row 0/1 (sigmoid), a class index (softmax)
   * or a value (identity). Returns the summed per-row loss without the L2 term: cross-entropy, or
   * the squared error for regression.
   */
  batchGradient(features: Float64Array, targets: Float64Array, rows: Uint32Array, gradients: Float64Array, l2: number): number {
    const { inputSize, outputSize } = this.shape;
    const batch = rows.length;
    this.ensureCapacity(batch);
    const input = this.input;
    for (let b = 0; b < batch; b++) {
      const row = rows[b]!;
      input.set(features.subarray(row * inputSize, (row + 1) * inputSize), b * inputSize);
    }
    this.linear(0, input, batch);
    const logits = this.forwardFrom(0, batch);
    const last = this.layers.length - 1;
    const delta = this.deltas[last]!;
    const lossSum = outputLossAndDelta(this.shape.outputActivation, logits, targets, rows, batch, outputSize, delta);

    gradients.fill(0);
    const params = this.parameters;
    for (let l = last; l >= 0; l--) {
      const { inputSize: I, outputSize: O, weightOffset, biasOffset } = this.layers[l]!;
      const layerInput = l === 0 ? input : this.outputs[l - 1]!;
      const layerDelta = this.deltas[l]!;
      for (let b = 0; b < batch; b++) {
        const inBase = b * I;
        const deltaBase = b * O;
        for (let o = 0; o < O; o++) gradients[biasOffset + o]! += layerDelta[deltaBase + o]!;
        for (let i = 0; i < I; i++) {
          const v = layerInput[inBase + i]!;
          if (v === 0) continue;
          const gBase = weightOffset + i * O;
          for (let o = 0; o < O; o++) gradients[gBase + o]! += v * layerDelta[deltaBase + o]!;
        }
      }
      if (l > 0) {
        const previousDelta = this.deltas[l - 1]!;
        const tanh = this.shape.hiddenActivation === "tanh";
        for (let b = 0; b < batch; b++) {
          const inBase = b * I;
          const deltaBase = b * O;
          for (let i = 0; i < I; i++) {
            const activated = layerInput[inBase + i]!;
            // ReLU' is 0 where the unit was off; tanh' = 1 − tanh².
            if (!tanh && activated <= 0) {
              previousDelta[inBase + i] = 0;
              continue;
            }
            const wBase = weightOffset + i * O;
            let sum = 0;
            for (let o = 0; o < O; o++) sum += layerDelta[deltaBase + o]! * params[wBase + o]!;
            previousDelta[inBase + i] = tanh ? sum * (1 - activated * activated) : sum;
          }
        }
      }
      if (l2 > 0) {
        const end = weightOffset + I * O;
        for (let p = weightOffset; p < end; p++) gradients[p]! += l2 * params[p]!;
      }
    }
    return lossSum;
  }

  /** A copy of the parameters as per-layer weight matrices and biases. */
  toWeights(): NetworkWeights {
    return {
      hiddenActivation: this.shape.hiddenActivation,
      outputActivation: this.shape.outputActivation,
      layers: this.layers.map((layer) => ({
        inputSize: layer.inputSize,
        outputSize: layer.outputSize,
        weights: this.parameters.slice(layer.weightOffset, layer.weightOffset + layer.inputSize * layer.outputSize),
        bias: this.parameters.slice(layer.biasOffset, layer.biasOffset + layer.outputSize),
      })),
    };
  }

  static fromWeights(weights: NetworkWeights): DenseNetwork {
    const first = weights.layers[0];
    const lastLayer = weights.layers[weights.layers.length - 1];
    if (!first || !lastLayer) throw new Error("A network needs at least one layer.");
    const shape: NetworkShape = {
      inputSize: first.inputSize,
      hiddenSizes: weights.layers.slice(0, -1).map((layer) => layer.outputSize),
      outputSize: lastLayer.outputSize,
      hiddenActivation: weights.hiddenActivation,
      outputActivation: weights.outputActivation,
    };
    const network = new DenseNetwork(shape);
    network.layers.forEach((slot, l) => {
      const layer = weights.layers[l]!;
      network.parameters.set(layer.weights, slot.weightOffset);
      network.parameters.set(layer.bias, slot.biasOffset);
    });
    return network;
  }

  /** Pre-activations of layer l for `rows` rows of its input: outputs[l] = input · W + b. */
  private linear(l: number, layerInput: Float64Array, rows: number): void {
    const params = this.parameters;
    const { inputSize: I, outputSize: O, weightOffset, biasOffset } = this.layers[l]!;
    const out = this.outputs[l]!;
    for (let b = 0; b < rows; b++) {
      const inBase = b * I;
      const outBase = b * O;
      for (let o = 0; o < O; o++) out[outBase + o] = params[biasOffset + o]!;
      for (let i = 0; i < I; i++) {
        const v = layerInput[inBase + i]!;
        if (v === 0) continue;
        const wBase = weightOffset + i * O;
        for (let o = 0; o < O; o++) out[outBase + o]! += v * params[wBase + o]!;
      }
    }
  }

  /**
   * Continues from layer l's pre-activations in outputs[l]: activates the hidden layers (in place)
   * and runs the later ones. Returns the logits (the last layer's pre-activations).
   */
  private forwardFrom(l: number, rows: number): Float64Array {
    const last = this.layers.length - 1;
    for (let k = l; k < last; k++) {
      const out = this.outputs[k]!;
      const n = rows * this.layers[k]!.outputSize;
      if (this.shape.hiddenActivation === "relu") {
        for (let j = 0; j < n; j++) if (out[j]! < 0) out[j] = 0;
      } else {
        for (let j = 0; j < n; j++) out[j] = Math.tanh(out[j]!);
      }
      this.linear(k + 1, out, rows);
    }
    return this.outputs[last]!;
  }

  private ensureCapacity(rows: number): void {
    if (rows <= this.capacity) return;
    this.capacity = rows;
    this.input = new Float64Array(rows * this.shape.inputSize);
    this.outputs = this.layers.map((layer) => new Float64Array(rows * layer.outputSize));
    this.deltas = this.layers.map((layer) => new Float64Array(rows * layer.outputSize));
  }
}

/** Numerically stable logistic function. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

function applyOutputActivation(
  activation: OutputActivation,
  logits: Float64Array,
  rows: number,
  width: number,
  out: Float64Array,
): void {
  if (activation === "identity") {
    out.set(logits.subarray(0, rows * width));
  } else if (activation === "sigmoid") {
    for (let k = 0; k < rows * width; k++) out[k] = sigmoid(logits[k]!);
  } else {
    for (let b = 0; b < rows; b++) {
      const base = b * width;
      let max = -Infinity;
      for (let k = 0; k < width; k++) max = Math.max(max, logits[base + k]!);
      let sum = 0;
      for (let k = 0; k < width; k++) {
        const e = Math.exp(logits[base + k]! - max);
        out[base + k] = e;
        sum += e;
      }
      for (let k = 0; k < width; k++) out[base + k]! /= sum;
    }
  }
}

/** Per-row loss summed over the batch, and the output delta d(mean loss)/d(logit) written into `delta`. */
function outputLossAndDelta(
  activation: OutputActivation,
  logits: Float64Array,
  targets: Float64Array,
  rows: Uint32Array,
  batch: number,
  width: number,
  delta: Float64Array,
): number {
  const inverseBatch = 1 / batch;
  let lossSum = 0;
  for (let b = 0; b < batch; b++) {
    const target = targets[rows[b]!]!;
    const base = b * width;
    if (activation === "sigmoid") {
      const z = logits[b]!;
      // log(1 + e^z) − z·y, written to avoid overflow for large |z|.
      lossSum += Math.max(z, 0) - z * target + Math.log1p(Math.exp(-Math.abs(z)));
      delta[b] = (sigmoid(z) - target) * inverseBatch;
    } else if (activation === "softmax") {
      let max = -Infinity;
      for (let k = 0; k < width; k++) max = Math.max(max, logits[base + k]!);
      let sum = 0;
      for (let k = 0; k < width; k++) sum += Math.exp(logits[base + k]! - max);
      lossSum += max + Math.log(sum) - logits[base + target]!;
      for (let k = 0; k < width; k++) {
        const probability = Math.exp(logits[base + k]! - max) / sum;
        delta[base + k] = (probability - (k === target ? 1 : 0)) * inverseBatch;
      }
    } else {
      const d = logits[b]! - target;
      lossSum += d * d;
      delta[b] = d * inverseBatch;
    }
  }
  return lossSum;
}
