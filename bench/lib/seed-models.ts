import { GraphQLClient } from "../../server/demo/graphql-client.js";

const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");

/** 50 models × 3 versions, each version from its own run reading two dataset versions. */
export async function seedModels(graphqlUrl: string, models = 50, versionsPerModel = 3): Promise<{ datasetVersionId: string }> {
  const api = new GraphQLClient(graphqlUrl);
  let datasetVersionId = "";
  for (let m = 0; m < models; m += 1) {
    const inputs = [];
    for (const split of ["train", "test"]) {
      const data: Record<string, any> = await api.request(
        `mutation($input: RegisterDatasetVersionInput!) { registerDatasetVersion(input: $input) { datasetVersion { id } } }`,
        {
          input: {
            namespace: "bench",
            dataset: `data-${m}`,
            uri: `s3://bench/${m}/${split}`,
            format: "PARQUET",
            digest: `sha256:${hex(m * 10 + inputs.length + 1, 64)}`,
            rowCount: 1000,
          },
        },
      );
      inputs.push(data.registerDatasetVersion.datasetVersion.id as string);
    }
    datasetVersionId = inputs[0]!;
    for (let v = 0; v < versionsPerModel; v += 1) {
      const run = await api.request(`mutation($input: StartRunInput!) { startRun(input: $input) { run { id } } }`, {
        input: {
          namespace: "bench",
          job: `train-${m}`,
          hyperparameters: { lr: 0.01 * (v + 1) },
          inputs: [
            { datasetVersionId: inputs[0], role: "TRAIN" },
            { datasetVersionId: inputs[1], role: "TEST" },
          ],
        },
      });
      await api.request(
        `mutation($input: RegisterModelVersionInput!) { registerModelVersion(input: $input) { modelVersion { id } } }`,
        {
          input: {
            namespace: "bench",
            model: `model-${m}`,
            artifactUri: `s3://bench/models/${m}/${v}.onnx`,
            artifactSha256: hex(m * 100 + v + 1, 64),
            sourceRunId: run.startRun.run.id,
            metrics: { auc: 0.8 },
          },
        },
      );
    }
  }
  return { datasetVersionId };
}
