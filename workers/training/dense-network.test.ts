import { describe, expect, it } from "vitest";
import { DenseNetwork, type NetworkShape } from "./dense-network.js";
import { SeededRandom } from "./random.js";

// The objective batchGradient differentiates: mean per-row loss (half the squared error for the
// identity head) plus (l2/2)·‖W‖² over weights, not biases.
function objective(network: DenseNetwork, x: Float64Array, y: Float64Array, rows: Uint32Array, l2: number): number {
  const scratch = new Float64Array(network.parameters.length);
  const lossSum = network.batchGradient(x, y, rows, scratch, 0);
  const dataLoss = (network.shape.outputActivation === "identity" ? 0.5 : 1) * (lossSum / rows.length);
  let penalty = 0;
  for (const layer of network.toWeights().layers) for (const w of layer.weights) penalty += w * w;
  return dataLoss + (l2 / 2) * penalty;
}

const cases: { name: string; shape: NetworkShape; target: (r: number) => number }[] = [
  {
    name: "sigmoid head, ReLU hidden layers",
    shape: { inputSize: 3, hiddenSizes: [5, 4], outputSize: 1, hiddenActivation: "relu", outputActivation: "sigmoid" },
    target: (r) => r % 2,
  },
  {
    name: "softmax head, tanh hidden layer",
    shape: { inputSize: 3, hiddenSizes: [6], outputSize: 4, hiddenActivation: "tanh", outputActivation: "softmax" },
    target: (r) => r % 4,
  },
  {
    name: "identity head, no hidden layer",
    shape: { inputSize: 3, hiddenSizes: [], outputSize: 1, hiddenActivation: "relu", outputActivation: "identity" },
    target: (r) => r * 0.3 - 1,
  },
];

describe("DenseNetwork", () => {
  it.each(cases)("back-propagates the exact gradient ($name)", ({ shape, target }) => {
    const random = SeededRandom.fromSeed(11);
    const network = new DenseNetwork(shape);
    network.initialize(random);
    // Linear models start at zero; give every parameter a nonzero value for a meaningful check.
    for (let p = 0; p < network.parameters.length; p++) network.parameters[p]! += 0.3 * (random.float() - 0.5);
    const rowCount = 7;
    const x = Float64Array.from({ length: rowCount * shape.inputSize }, () => 2 * random.float() - 1);
    const y = Float64Array.from({ length: rowCount }, (_, r) => target(r));
    const rows = Uint32Array.from([0, 2, 3, 5, 6]);
    const l2 = 0.1;
    const gradients = new Float64Array(network.parameters.length);
    network.batchGradient(x, y, rows, gradients, l2);
    const h = 1e-6;
    for (let p = 0; p < network.parameters.length; p++) {
      const original = network.parameters[p]!;
      network.parameters[p] = original + h;
      const up = objective(network, x, y, rows, l2);
      network.parameters[p] = original - h;
      const down = objective(network, x, y, rows, l2);
      network.parameters[p] = original;
      expect(gradients[p]).toBeCloseTo((up - down) / (2 * h), 6);
    }
  });

  it("predicts probabilities that sum to 1 for a softmax head", () => {
    const network = new DenseNetwork(cases[1]!.shape);
    network.initialize(SeededRandom.fromSeed(3));
    const x = Float64Array.from({ length: 3 * 5 }, (_, k) => Math.sin(k));
    const probabilities = network.predict(x, 5);
    for (let r = 0; r < 5; r++) {
      const sum = probabilities.subarray(r * 4, r * 4 + 4).reduce((a, b) => a + b, 0);
      expect(sum).toBeCloseTo(1, 12);
    }
  });

  it.each(cases)("predicts with one column replaced as a full pass over the changed matrix would ($name)", ({ shape }) => {
    const random = SeededRandom.fromSeed(8);
    const network = new DenseNetwork(shape);
    network.initialize(random);
    for (let p = 0; p < network.parameters.length; p++) network.parameters[p]! += 0.3 * (random.float() - 0.5);
    const rowCount = 1500; // more than one internal chunk of rows
    const x = Float64Array.from({ length: rowCount * shape.inputSize }, () => 2 * random.float() - 1);
    const replacement = Float64Array.from({ length: rowCount }, () => 3 * random.float() - 1.5);
    const changed = x.slice();
    for (let r = 0; r < rowCount; r++) changed[r * shape.inputSize + 1] = replacement[r]!;
    const expected = network.predict(changed, rowCount);
    const actual = network.columnReplacementPredictor(x, rowCount)(1, replacement);
    expect(actual.length).toBe(expected.length);
    for (let k = 0; k < expected.length; k++) expect(actual[k]).toBeCloseTo(expected[k]!, 12);
  });

  it("round-trips its parameters through toWeights/fromWeights", () => {
    const network = new DenseNetwork(cases[0]!.shape);
    network.initialize(SeededRandom.fromSeed(5));
    const copy = DenseNetwork.fromWeights(network.toWeights());
    expect(copy.parameters).toEqual(network.parameters);
    expect(copy.shape).toEqual(network.shape);
  });
});
