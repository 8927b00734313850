import { createHash } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { OnnxGraphBuilder } from "../../workers/training/onnx/graph-builder.js";
import { ONNX_IR_VERSION, ONNX_OPSET_VERSION } from "../../workers/training/onnx/signature.js";

/** A linear regression `prediction = features · weights + bias` as ONNX, in the training worker's signature format. */
export function linearOnnxModel(weights: readonly number[], bias: number) {
  const graph = new OnnxGraphBuilder();
  const featureCount = weights.length;
  graph.input("features", "float32", ["N", featureCount]);
  const product = graph.node("MatMul", ["features", graph.floatInitializer("weights", [featureCount, 1], weights)], "product");
  graph.node("Add", [product, graph.floatInitializer("bias", [1], [bias])], "prediction");
  graph.output("prediction", "float32", ["N", 1]);
  const bytes = graph.encode({
    graphName: "fixture_linear",
    irVersion: ONNX_IR_VERSION,
    opsetVersion: ONNX_OPSET_VERSION,
    producerName: "pedigree-tests",
    docString: "test fixture",
    metadata: {},
  });
  const featureNames = weights.map((_, index) => `x${index}`);
  const signature = {
    format: "onnx",
    task: "regression",
    featureNames,
    inputs: [{ name: "features", dtype: "float32", shape: [null, featureCount] }],
    outputs: [{ name: "prediction", dtype: "float32", shape: [null, 1] }],
  };
  return { bytes, signature, featureNames };
}

/** Writes a linear ONNX model into `dir` and returns what registerModelVersion needs for a READY version. */
export async function writeLinearModelArtifact(dir: string, weights: readonly number[], bias: number) {
  const { bytes, signature, featureNames } = linearOnnxModel(weights, bias);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const path = join(dir, `${sha256}.onnx`);
  await writeFile(path, bytes);
  return { uri: pathToFileURL(path).href, path, sha256, signature, featureNames };
}
