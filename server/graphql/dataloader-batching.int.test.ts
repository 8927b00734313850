import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestApp, startTestApp } from "../testing/test-app.js";

const NESTED = `query($namespace: String!) {
  models(first: 50, filter: { namespace: $namespace }) {
    edges { node { name versions(first: 5) { edges { node { version sourceRun { job { name } inputs { role datasetVersion { digest dataset { name } } } } } } } } }
  }
}`;

const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");

describe("DataLoaders keep nested lists at a constant number of SQL statements", () => {
  let app: TestApp;

  async function seedModels(namespace: string, count: number) {
    for (let m = 0; m < count; m += 1) {
      const versions = [];
      for (const split of ["train", "test"]) {
        const data = await app.graphql(
          `mutation($input: RegisterDatasetVersionInput!) { registerDatasetVersion(input: $input) { datasetVersion { id } } }`,
          {
            input: {
              namespace,
              dataset: `data-${m}`,
              uri: `file:///d/${m}/${split}`,
              format: "CSV",
              digest: `sha256:${hex(m * 10 + (split === "train" ? 1 : 2), 64)}`,
            },
          },
        );
        versions.push(data.data!.registerDatasetVersion.datasetVersion.id);
      }
      for (let v = 0; v < 2; v += 1) {
        const run = await app.graphql(`mutation($input: StartRunInput!) { startRun(input: $input) { run { id } } }`, {
          input: {
            namespace,
            job: `train-${m}`,
            inputs: [
              { datasetVersionId: versions[0], role: "TRAIN" },
              { datasetVersionId: versions[1], role: "TEST" },
            ],
          },
        });
        const registered = await app.graphql(
          `mutation($input: RegisterModelVersionInput!) { registerModelVersion(input: $input) { modelVersion { id } } }`,
          {
            input: {
              namespace,
              model: `model-${m}`,
              artifactUri: `file:///m/${m}/${v}.onnx`,
              artifactSha256: hex(m * 100 + v + 1, 64),
              sourceRunId: run.data!.startRun.run.id,
            },
          },
        );
        expect(registered.errors).toBeUndefined();
      }
    }
  }

  async function statementsFor(namespace: string) {
    const before = app.db.statements.count;
    const result = await app.graphql(NESTED, { namespace });
    expect(result.errors).toBeUndefined();
    return { statements: app.db.statements.count - before, models: result.data!.models.edges };
  }

  beforeAll(async () => {
    app = await startTestApp();
    await seedModels("small", 3);
    await seedModels("large", 30);
  }, 300_000);
  afterAll(async () => {
    await app?.close();
  });

  it("models → versions → source run → input dataset versions", async () => {
    const small = await statementsFor("small");
    const large = await statementsFor("large");
    expect(small.models).toHaveLength(3);
    expect(large.models).toHaveLength(30);
    for (const model of large.models) {
      expect(model.node.versions.edges).toHaveLength(2);
      for (const version of model.node.versions.edges) {
        expect(version.node.sourceRun.inputs.map((input: { role: string }) => input.role).sort()).toEqual(["TEST", "TRAIN"]);
      }
    }
    expect(large.statements).toBe(small.statements);
    // namespace lookup, models page, versions, runs, jobs, input edges, dataset versions, datasets
    expect(large.statements).toBeLessThanOrEqual(10);
  });
});
