import { linearRegression } from "./linear-regression.js";
import { logisticRegression } from "./logistic-regression.js";
import { mlp } from "./mlp.js";
import type { ModelDefinition } from "./model-definition.js";
import type { ModelKind } from "./types.js";

export const MODEL_DEFINITIONS: Readonly<Record<ModelKind, ModelDefinition>> = {
  logistic_regression: logisticRegression,
  linear_regression: linearRegression,
  mlp,
};

export const MODEL_KINDS = Object.keys(MODEL_DEFINITIONS) as ModelKind[];
