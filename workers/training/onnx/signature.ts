import type { ModelTask, TrainedModel } from "../types.js";

/** ONNX IR version 8 (ONNX 1.10) and the default-domain opset the exported graphs import. */
export const ONNX_IR_VERSION = 8;
export const ONNX_OPSET_VERSION = 17;

export const INPUT_NAME = "features";
export const PROBABILITIES_OUTPUT = "probabilities";
export const LABEL_OUTPUT = "label";
export const PREDICTION_OUTPUT = "prediction";

export interface TensorSignature {
  name: string;
  dtype: "float32" | "int64";
  /** null marks the dynamic batch dimension. */
  shape: (number | null)[];
  description: string;
}

/** What a served model expects and returns; stored with the model version in the registry. */
export interface ModelSignature {
  format: "onnx";
  irVersion: number;
  opsets: { domain: string; version: number }[];
  task: ModelTask;
  /** Column order of the input tensor's second dimension; raw (unstandardized) values. */
  featureNames: string[];
  /** Classification: class labels in probability-column order; `label` indexes into them. */
  classes?: string[];
  inputs: TensorSignature[];
  outputs: TensorSignature[];
}

/** The signature of `exportOnnx(model)`. */
export function onnxSignature(model: TrainedModel): ModelSignature {
  const featureCount = model.featureNames.length;
  const base = {
    format: "onnx" as const,
    irVersion: ONNX_IR_VERSION,
    opsets: [{ domain: "ai.onnx", version: ONNX_OPSET_VERSION }],
    task: model.task,
    featureNames: [...model.featureNames],
    inputs: [
      {
        name: INPUT_NAME,
        dtype: "float32" as const,
        shape: [null, featureCount],
        description: `Raw feature values, one row per example, columns in featureNames order (${featureCount}).`,
      },
    ],
  };
  if (model.task === "regression") {
    return {
      ...base,
      outputs: [{ name: PREDICTION_OUTPUT, dtype: "float32", shape: [null, 1], description: "Predicted target value per row." }],
    };
  }
  const classes = [...(model.classes ?? [])];
  return {
    ...base,
    classes,
    outputs: [
      {
        name: PROBABILITIES_OUTPUT,
        dtype: "float32",
        shape: [null, classes.length],
        description: "Class probabilities per row, columns in classes order.",
      },
      {
        name: LABEL_OUTPUT,
        dtype: "int64",
        shape: [null],
        description: "Index into classes of the most probable class (the first on ties).",
      },
    ],
  };
}
