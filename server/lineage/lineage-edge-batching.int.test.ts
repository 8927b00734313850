import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestApp, startTestApp } from "../testing/test-app.js";

const START_RUN = `mutation($input: StartRunInput!) { startRun(input: $input) { run { id inputs { role } } } }`;

describe("lineage edges are written in one statement per change", () => {
  let app: TestApp;
  const versionIds: string[] = [];

  beforeAll(async () => {
    app = await startTestApp();
    for (let i = 0; i < 200; i += 1) {
      const result = await app.graphql(
        `mutation($input: RegisterDatasetVersionInput!) { registerDatasetVersion(input: $input) { datasetVersion { id } } }`,
        {
          input: {
            namespace: "wide",
            dataset: `part-${i}`,
            uri: `file:///wide/${i}`,
            format: "PARQUET",
            digest: `sha256:${(i + 1).toString(16).padStart(64, "0")}`,
          },
        },
      );
      versionIds.push(result.data!.registerDatasetVersion.datasetVersion.id);
    }
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  async function statementsToStart(inputs: number): Promise<number> {
    const before = app.db.statements.count;
    const result = await app.graphql(START_RUN, {
      input: {
        namespace: "wide",
        job: "wide-read",
        inputs: versionIds.slice(0, inputs).map((id) => ({ datasetVersionId: id, role: "TRAIN" })),
      },
    });
    expect(result.errors).toBeUndefined();
    expect(result.data!.startRun.run.inputs).toHaveLength(inputs);
    return app.db.statements.count - before;
  }

  it("a run reading 200 dataset versions costs as many statements as one reading 2", async () => {
    await statementsToStart(1); // creates the job, so that the two measured calls do the same work
    const small = await statementsToStart(2);
    const wide = await statementsToStart(200);
    expect(wide).toBe(small);
    const { rows } = await app.db.pool.query(
      "SELECT count(*)::int AS n FROM lineage_edge WHERE kind = 'CONSUMED' AND valid_to IS NULL",
    );
    expect(rows[0].n).toBe(203);
  });

  it("repeating an edge in one change stores it once", async () => {
    const result = await app.graphql(START_RUN, {
      input: {
        namespace: "wide",
        job: "dup-read",
        inputs: [
          { datasetVersionId: versionIds[0], role: "TRAIN" },
          { datasetVersionId: versionIds[0], role: "TRAIN" },
          { datasetVersionId: versionIds[0], role: "TEST" },
        ],
      },
    });
    expect(result.errors).toBeUndefined();
    expect(result.data!.startRun.run.inputs.map((input: { role: string }) => input.role).sort()).toEqual(["TEST", "TRAIN"]);
  });
});
