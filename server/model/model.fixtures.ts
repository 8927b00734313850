// Shared by the model integration tests.

export const REGISTER_VERSION = `
  mutation Register($input: RegisterModelVersionInput!) {
    registerModelVersion(input: $input) {
      created
      modelVersion {
        id version artifactUri artifactSha256 signature metrics description aliases
        model { id name namespace { name } }
        sourceRun { id }
      }
    }
  }`;

export const sha = (n: number) => n.toString(16).padStart(64, "0");
export const nodeId = (kind: string, key: string) => Buffer.from(`${kind}:${key}`).toString("base64url");
export const UNKNOWN = "00000000-0000-4000-8000-000000000001";

export function versionInput(overrides: Record<string, unknown> = {}) {
  return {
    namespace: "ml",
    model: "churn-classifier",
    artifactUri: "s3://models/churn/model.onnx",
    artifactSha256: sha(1),
    signature: { inputs: [{ name: "features", dtype: "float32", shape: [-1, 12] }], outputs: [{ name: "score" }] },
    metrics: { auc: 0.91, logloss: 0.27 },
    description: "first cut",
    ...overrides,
  };
}

export const SIDE_TABLES = ["namespace", "model", "model_version", "model_alias", "lineage_edge", "audit_event", "graph_outbox"];
