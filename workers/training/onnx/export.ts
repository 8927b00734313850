import type { TrainedModel } from "../types.js";
import { OnnxGraphBuilder } from "./graph-builder.js";
import {
  INPUT_NAME,
  LABEL_OUTPUT,
  ONNX_IR_VERSION,
  ONNX_OPSET_VERSION,
  onnxSignature,
  PREDICTION_OUTPUT,
  PROBABILITIES_OUTPUT,
} from "./signature.js";

const BATCH = "N";

/**
 * Serializes a trained model as an ONNX ModelProto (IR 8, opset ai.onnx 17, standard operators only)
 * that takes raw features: Sub/Div standardization, MatMul + Add per layer with Relu or Tanh between,
 * then Sigmoid (binary: [1 − p, p] by Sub + Concat), Softmax (multiclass) with ArgMax for the label,
 * or Mul + Add mapping a regression output back to target units. Weights are stored as float32.
 */
export function exportOnnx(model: TrainedModel): Uint8Array {
  const graph = new OnnxGraphBuilder();
  const featureCount = model.featureNames.length;
  const { standardizer, network } = model;
  graph.input(INPUT_NAME, "float32", [BATCH, featureCount]);

  const centered = graph.node(
    "Sub",
    [INPUT_NAME, graph.floatInitializer("standardizer_mean", [featureCount], standardizer.mean)],
    "centered",
  );
  let hidden = graph.node(
    "Div",
    [centered, graph.floatInitializer("standardizer_scale", [featureCount], standardizer.scale)],
    "standardized",
  );
  const last = network.layers.length - 1;
  network.layers.forEach((layer, l) => {
    const weights = graph.floatInitializer(`layer${l}_weights`, [layer.inputSize, layer.outputSize], layer.weights);
    const bias = graph.floatInitializer(`layer${l}_bias`, [layer.outputSize], layer.bias);
    const product = graph.node("MatMul", [hidden, weights], `layer${l}_matmul`);
    hidden = graph.node("Add", [product, bias], l === last ? "logits" : `layer${l}_linear`);
    if (l < last) hidden = graph.node(network.hiddenActivation === "relu" ? "Relu" : "Tanh", [hidden], `layer${l}_activation`);
  });

  if (model.task === "regression") {
    const scaler = model.targetScaler ?? { mean: 0, scale: 1 };
    const scaled = graph.node("Mul", [hidden, graph.floatInitializer("target_scale", [1], [scaler.scale])], "scaled");
    graph.node("Add", [scaled, graph.floatInitializer("target_mean", [1], [scaler.mean])], PREDICTION_OUTPUT);
    graph.output(PREDICTION_OUTPUT, "float32", [BATCH, 1]);
  } else {
    const classCount = model.classes?.length ?? 2;
    if (model.task === "binary") {
      const positive = graph.node("Sigmoid", [hidden], "positive_probability");
      const negative = graph.node("Sub", [graph.floatInitializer("one", [1], [1]), positive], "negative_probability");
      graph.node("Concat", [negative, positive], PROBABILITIES_OUTPUT, { axis: { int: 1 } });
    } else {
      graph.node("Softmax", [hidden], PROBABILITIES_OUTPUT, { axis: { int: 1 } });
    }
    graph.node("ArgMax", [PROBABILITIES_OUTPUT], LABEL_OUTPUT, { axis: { int: 1 }, keepdims: { int: 0 } });
    graph.output(PROBABILITIES_OUTPUT, "float32", [BATCH, classCount]);
    graph.output(LABEL_OUTPUT, "int64", [BATCH]);
  }

  return graph.encode({
    graphName: `pedigree_${model.kind}`,
    irVersion: ONNX_IR_VERSION,
    opsetVersion: ONNX_OPSET_VERSION,
    producerName: "pedigree",
    docString: `${model.kind} (${model.task}) trained by Pedigree; input "${INPUT_NAME}" takes raw features.`,
    metadata: {
      "pedigree.model_kind": model.kind,
      "pedigree.signature": JSON.stringify(onnxSignature(model)),
    },
  });
}
