import { OnnxGraphBuilder } from "../../workers/training/onnx/graph-builder.js";
import {
  INPUT_NAME,
  LABEL_OUTPUT,
  type ModelSignature,
  ONNX_IR_VERSION,
  ONNX_OPSET_VERSION,
  PROBABILITIES_OUTPUT,
} from "../../workers/training/onnx/signature.js";
import { ArtifactStore, type StoredArtifact } from "../artifacts/artifact-store.js";

/** The churn model's input columns, in the input tensor's order (the demo feature set's features). */
export const CHURN_FEATURES = ["sessions_7d", "purchases_30d", "avg_session_minutes"] as const;
/** Values of the feature table's `churned` column, in probability-column order. */
export const CHURN_CLASSES = ["false", "true"];

export interface ChurnModelParameters {
  /** One weight per CHURN_FEATURES entry, on raw feature values. */
  weights: readonly number[];
  bias: number;
  /** The run that "trained" it: stored in the model metadata, so each candidate's bytes (and SHA-256) differ. */
  sourceRunId: string;
}

/**
 * A binary logistic regression on raw features as ONNX, in the training worker's format: input
 * `features` [N, 3], outputs `probabilities` [N, 2] ([1 − p, p]) and `label` (ArgMax). The demo
 * registers these so every seeded model version is READY and its deployments answer predict.
 */
export function churnOnnxModel(parameters: ChurnModelParameters): { bytes: Uint8Array; signature: ModelSignature } {
  const featureCount = CHURN_FEATURES.length;
  if (parameters.weights.length !== featureCount) throw new RangeError(`expected ${featureCount} weights`);
  const graph = new OnnxGraphBuilder();
  graph.input(INPUT_NAME, "float32", ["N", featureCount]);
  const product = graph.node(
    "MatMul",
    [INPUT_NAME, graph.floatInitializer("weights", [featureCount, 1], parameters.weights)],
    "product",
  );
  const logits = graph.node("Add", [product, graph.floatInitializer("bias", [1], [parameters.bias])], "logits");
  const positive = graph.node("Sigmoid", [logits], "positive_probability");
  const negative = graph.node("Sub", [graph.floatInitializer("one", [1], [1]), positive], "negative_probability");
  graph.node("Concat", [negative, positive], PROBABILITIES_OUTPUT, { axis: { int: 1 } });
  graph.node("ArgMax", [PROBABILITIES_OUTPUT], LABEL_OUTPUT, { axis: { int: 1 }, keepdims: { int: 0 } });
  graph.output(PROBABILITIES_OUTPUT, "float32", ["N", CHURN_CLASSES.length]);
  graph.output(LABEL_OUTPUT, "int64", ["N"]);
  const signature: ModelSignature = {
    format: "onnx",
    irVersion: ONNX_IR_VERSION,
    opsets: [{ domain: "ai.onnx", version: ONNX_OPSET_VERSION }],
    task: "binary",
    featureNames: [...CHURN_FEATURES],
    classes: [...CHURN_CLASSES],
    inputs: [
      {
        name: INPUT_NAME,
        dtype: "float32",
        shape: [null, featureCount],
        description: `Raw feature values, one row per user, columns in featureNames order (${featureCount}).`,
      },
    ],
    outputs: [
      {
        name: PROBABILITIES_OUTPUT,
        dtype: "float32",
        shape: [null, CHURN_CLASSES.length],
        description: "Probability of [retained, churned] per row.",
      },
      { name: LABEL_OUTPUT, dtype: "int64", shape: [null], description: "Index into classes of the more probable class." },
    ],
  };
  const bytes = graph.encode({
    graphName: "demo_churn_logistic_regression",
    irVersion: ONNX_IR_VERSION,
    opsetVersion: ONNX_OPSET_VERSION,
    producerName: "pedigree-demo",
    docString: "Demo churn classifier (logistic regression on raw features).",
    metadata: { "pedigree.source_run": parameters.sourceRunId, "pedigree.signature": JSON.stringify(signature) },
  });
  return { bytes, signature };
}

/** Writes the churn model into the artifact folder (content-addressed, so a second seed rewrites nothing). */
export async function storeChurnModel(
  artifactDir: string,
  parameters: ChurnModelParameters,
): Promise<StoredArtifact & { signature: ModelSignature }> {
  const { bytes, signature } = churnOnnxModel(parameters);
  const stored = await new ArtifactStore(artifactDir).put(bytes, "onnx");
  return { ...stored, signature };
}
