import type { ModelDefinition } from "./model-definition.js";
import { outputHead } from "./model-definition.js";

/**
 * Logistic regression on standardized features: one sigmoid unit for two classes, multinomial
 * (softmax) for more. Starts from zero weights, so only the batch order depends on the seed.
 */
export const logisticRegression: ModelDefinition = {
  kind: "logistic_regression",
  fixedTask: "classification",
  defaults: { learningRate: 0.01, batchSize: 32, maxEpochs: 200, l2: 1e-4, patience: 10, hiddenLayers: [] },
  shape: (featureCount, task, classCount) => ({
    inputSize: featureCount,
    hiddenSizes: [],
    hiddenActivation: "relu",
    ...outputHead(task, classCount),
  }),
};
