import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../demo/demo-seed.js";
import { type TestApp, startTestApp } from "../testing/test-app.js";

// Every mutation that writes lineage edges refuses an id of the wrong kind at either end with a
// typed error naming the field, and writes nothing: no entity, no edge, no audit event, no outbox row.

const SIDE_TABLES = ["lineage_edge", "audit_event", "graph_outbox", "run", "job", "feature", "model_version", "dataset_version"];

describe("lineage edges to nodes of the wrong kind", () => {
  let app: TestApp;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    app = await startTestApp();
    await seedDemo(`${app.url}/graphql`);
    const result = await app.graphql(`{
      datasetVersions(first: 1) { edges { node { id } } }
      runs(first: 1) { edges { node { id } } }
      models(first: 1) { edges { node { id versions(first: 1) { edges { node { id } } } } } }
      features(first: 1) { edges { node { id } } }
      featureSets(first: 1) { edges { node { id } } }
      deployment(namespace: "acme-ml", name: "churn-staging") { id }
    }`);
    expect(result.errors).toBeUndefined();
    const data = result.data!;
    ids.datasetVersion = data.datasetVersions.edges[0].node.id;
    ids.run = data.runs.edges[0].node.id;
    ids.model = data.models.edges[0].node.id;
    ids.modelVersion = data.models.edges[0].node.versions.edges[0].node.id;
    ids.feature = data.features.edges[0].node.id;
    ids.featureSet = data.featureSets.edges[0].node.id;
    ids.deployment = data.deployment.id;
  });
  afterAll(async () => {
    await app?.close();
  });

  const cases: Array<[string, string, () => Record<string, unknown>, string]> = [
    [
      "a model version as a run input",
      "mutation($input: StartRunInput!) { startRun(input: $input) { run { id } } }",
      () => ({
        input: { namespace: "acme-ml", job: "wrong-kind", inputs: [{ datasetVersionId: ids.modelVersion, role: "TRAIN" }] },
      }),
      "input.inputs[0].datasetVersionId",
    ],
    [
      "a dataset version as a run's feature",
      "mutation($input: StartRunInput!) { startRun(input: $input) { run { id } } }",
      () => ({ input: { namespace: "acme-ml", job: "wrong-kind", featureIds: [ids.datasetVersion] } }),
      "input.featureIds[0]",
    ],
    [
      "a run as a run's commit",
      "mutation($input: StartRunInput!) { startRun(input: $input) { run { id } } }",
      () => ({ input: { namespace: "acme-ml", job: "wrong-kind", commitId: ids.run } }),
      "input.commitId",
    ],
    [
      "a feature as a feature's source",
      "mutation($input: RegisterFeatureInput!) { registerFeature(input: $input) { feature { id } } }",
      () => ({
        input: { featureSetId: ids.featureSet, name: "wrong_kind", dtype: "int32", sourceDatasetVersionIds: [ids.feature] },
      }),
      "input.sourceDatasetVersionIds[0]",
    ],
    [
      "a dataset version as the run that produced a model version",
      "mutation($input: RegisterModelVersionInput!) { registerModelVersion(input: $input) { modelVersion { id } } }",
      () => ({
        input: {
          namespace: "acme-ml",
          model: "churn-classifier",
          artifactUri: "s3://acme-models/wrong-kind/model.onnx",
          artifactSha256: "a".repeat(64),
          sourceRunId: ids.datasetVersion,
        },
      }),
      "input.sourceRunId",
    ],
    [
      "a run in a deployment's traffic split",
      "mutation($input: SetDeploymentTrafficInput!) { setDeploymentTraffic(input: $input) { revision } }",
      () => ({ input: { deploymentId: ids.deployment, trafficSplit: [{ modelVersionId: ids.run, percent: 100 }] } }),
      "input.trafficSplit[0].modelVersionId",
    ],
    [
      "a model as the run that produced a dataset version",
      "mutation($input: RegisterDatasetVersionInput!) { registerDatasetVersion(input: $input) { datasetVersion { id } } }",
      () => ({
        input: {
          namespace: "acme-ml",
          dataset: "wrong/kind",
          uri: "s3://acme-lake/wrong/kind",
          format: "PARQUET",
          digest: `sha256:${"b".repeat(64)}`,
          producedByRunId: ids.model,
        },
      }),
      "input.producedByRunId",
    ],
  ];

  it.each(cases)("refuses %s", async (_label, mutation, variables, field) => {
    const before = await app.countRows(SIDE_TABLES);
    const result = await app.graphql(mutation, variables());
    expect(result.data ?? null).toBeNull();
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field });
    expect(result.errors?.[0]?.message).not.toMatch(/select|insert|prisma|at .*\.ts/i);
    expect(await app.countRows(SIDE_TABLES)).toEqual(before);
  });
});
