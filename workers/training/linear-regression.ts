import type { ModelDefinition } from "./model-definition.js";

/** Least-squares linear regression on standardized features and target, by mini-batch gradient descent. */
export const linearRegression: ModelDefinition = {
  kind: "linear_regression",
  fixedTask: "regression",
  defaults: { learningRate: 0.01, batchSize: 32, maxEpochs: 200, l2: 0, patience: 10, hiddenLayers: [] },
  shape: (featureCount) => ({
    inputSize: featureCount,
    hiddenSizes: [],
    hiddenActivation: "relu",
    outputSize: 1,
    outputActivation: "identity",
  }),
};
