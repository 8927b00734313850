import type { ModelDefinition } from "./model-definition.js";
import { outputHead } from "./model-definition.js";

/**
 * Multi-layer perceptron: 1–4 hidden layers (ReLU or tanh) and a sigmoid (binary), softmax
 * (multiclass) or linear (regression) output.
 */
export const mlp: ModelDefinition = {
  kind: "mlp",
  defaults: { learningRate: 0.01, batchSize: 32, maxEpochs: 200, l2: 1e-4, patience: 10, hiddenLayers: [32] },
  shape: (featureCount, task, classCount, spec) => ({
    inputSize: featureCount,
    hiddenSizes: spec.hiddenLayers,
    hiddenActivation: spec.activation,
    ...outputHead(task, classCount),
  }),
};
