// Model-training core of Pedigree: pure functions from a numeric feature matrix and a target to a
// trained model, its metrics and its ONNX bytes. The training worker (BullMQ processor) calls these.
export { rowMajorFromColumns } from "./prepare-data.js";
export { train } from "./train.js";
export { predict, type ModelPrediction } from "./predict.js";
export { exportOnnx } from "./onnx/export.js";
export {
  onnxSignature,
  ONNX_IR_VERSION,
  ONNX_OPSET_VERSION,
  type ModelSignature,
  type TensorSignature,
} from "./onnx/signature.js";
export { resolveTrainingSpec } from "./resolve-spec.js";
export {
  TrainingAbortedError,
  TrainingDataError,
  TrainingDivergedError,
  TrainingError,
  TrainingSpecError,
} from "./errors.js";
export type * from "./types.js";
