// Shared by the serving integration tests and bench/predict.ts: real trained models as ONNX files.
import { createHash } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { exportOnnx, onnxSignature, train } from "../../workers/training/index.js";
import { syntheticClassification } from "../../workers/training/synthetic-data.js";

export interface ModelArtifactFile {
  uri: string;
  path: string;
  sha256: string;
  bytes: Uint8Array;
  signature: Record<string, unknown>;
  featureNames: string[];
}

/** Trains a binary logistic regression on synthetic separable data and writes its ONNX file into `dir`. */
export async function trainLogisticArtifact(
  dir: string,
  options: { features: number; seed: number; rows?: number },
): Promise<ModelArtifactFile> {
  const data = syntheticClassification({ rows: options.rows ?? 400, features: options.features, seed: options.seed });
  const model = await train({ model: "logistic_regression", seed: options.seed, maxEpochs: 20 }, data);
  const bytes = exportOnnx(model);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const path = join(dir, `${sha256}.onnx`);
  await writeFile(path, bytes);
  return {
    uri: pathToFileURL(path).href,
    path,
    sha256,
    bytes,
    signature: { ...onnxSignature(model) },
    featureNames: [...model.featureNames],
  };
}

export const REGISTER_MODEL_VERSION = `mutation($input: RegisterModelVersionInput!) {
  registerModelVersion(input: $input) { modelVersion { id version } }
}`;

export const CREATE_DEPLOYMENT = `mutation($input: CreateDeploymentInput!) {
  createDeployment(input: $input) { deployment { id name } }
}`;

export const PREDICT = `mutation($input: PredictInput!) {
  predict(input: $input) {
    deployment { name }
    modelVersion { id version }
    predictions { predictionId outputs }
    latencyMs
  }
}`;
