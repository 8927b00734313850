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

interface Timed {
  id: string;
  createdAt: string;
}

/** Postgres orders uuids like their lowercase text, so (createdAt, id) order can be checked here. */
function byCreatedThenId(a: Timed, b: Timed) {
  return a.createdAt === b.createdAt ? (a.id < b.id ? -1 : 1) : Date.parse(a.createdAt) - Date.parse(b.createdAt);
}

const nodesOf = <T>(connection: { edges: Array<{ node: T }> }) => connection.edges.map((edge) => edge.node);

const DATASET_VERSIONS = `query($namespace: String!) {
  datasets(first: 50, filter: { namespace: $namespace }) { edges { node { id name
    versions(first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { node { version } } }
    oldestFirst: versions(first: 10, orderBy: { field: CREATED_AT, direction: ASC }) { edges { node { id version createdAt } } }
  } } }
}`;
const FEATURES = `query($namespace: String!) {
  featureSets(first: 50, filter: { namespace: $namespace }) { edges { node { id name
    features(first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { node { name } } }
    byNameDesc: features(first: 10, orderBy: { field: NAME, direction: DESC }) { edges { node { name } } }
  } } }
}`;
const JOB_RUNS = `query($namespace: String!) {
  jobs(first: 50, filter: { namespace: $namespace }) { edges { node { id name
    runs(first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { node { id createdAt } } }
    oldestFirst: runs(first: 10, orderBy: { field: CREATED_AT, direction: ASC }) { edges { node { id createdAt } } }
  } } }
}`;
const RUN_CHILDREN = `query($namespace: String!) {
  runs(first: 100, filter: { namespace: $namespace }) { edges { node { id
    children(first: 1) { totalCount pageInfo { hasNextPage endCursor } edges { node { id createdAt } } }
    all: children(first: 10) { edges { node { id createdAt } } }
  } } }
}`;
const NEXT_PAGES = `query($dataset: ID!, $featureSet: ID!, $job: ID!, $sweep: ID!, $v: String, $f: String, $r: String, $c: String) {
  dataset: node(id: $dataset) { ... on Dataset { versions(first: 2, after: $v) { totalCount pageInfo { hasNextPage } edges { node { version } } } } }
  featureSet: node(id: $featureSet) { ... on FeatureSet { features(first: 2, after: $f) { totalCount pageInfo { hasNextPage } edges { node { name } } } } }
  job: node(id: $job) { ... on Job { runs(first: 2, after: $r) { totalCount pageInfo { hasNextPage } edges { node { id } } } } }
  sweep: node(id: $sweep) { ... on Run { children(first: 1, after: $c) { totalCount pageInfo { hasNextPage } edges { node { id } } } } }
}`;

describe("first pages of child lists are loaded for all parents at once", () => {
  let app: TestApp;
  const childrenOfSweep = new Map<string, string[]>();

  async function mutate(query: string, input: Record<string, unknown>) {
    const result = await app.graphql(query, { input });
    expect(result.errors).toBeUndefined();
    return result.data!;
  }

  async function seed(namespace: string, parents: number) {
    for (let p = 0; p < parents; p += 1) {
      for (let v = 1; v <= 3; v += 1) {
        await mutate(`mutation($input: RegisterDatasetVersionInput!) { registerDatasetVersion(input: $input) { created } }`, {
          namespace,
          dataset: `data-${p}`,
          uri: `file:///${namespace}/${p}/${v}`,
          format: "CSV",
          digest: `sha256:${hex(p * 10 + v, 64)}`,
        });
      }
      const set = await mutate(
        `mutation($input: RegisterFeatureSetInput!) { registerFeatureSet(input: $input) { featureSet { id } } }`,
        {
          namespace,
          name: `set-${p}`,
        },
      );
      for (const name of ["charlie", "alpha", "bravo"]) {
        await mutate(`mutation($input: RegisterFeatureInput!) { registerFeature(input: $input) { created } }`, {
          featureSetId: set.registerFeatureSet.featureSet.id,
          name,
          dtype: "float32",
        });
      }
      const START = `mutation($input: StartRunInput!) { startRun(input: $input) { run { id } } }`;
      const sweep = (await mutate(START, { namespace, job: `job-${p}` })).startRun.run.id as string;
      const children: string[] = [];
      for (let c = 0; c < 2; c += 1) {
        children.push((await mutate(START, { namespace, job: `job-${p}`, parentRunId: sweep })).startRun.run.id);
      }
      childrenOfSweep.set(sweep, children);
    }
  }

  async function measure(query: string, namespace: string) {
    const before = app.db.statements.count;
    const result = await app.graphql(query, { namespace });
    expect(result.errors).toBeUndefined();
    return { statements: app.db.statements.count - before, data: result.data! };
  }

  async function compare(query: string, list: string) {
    const few = await measure(query, "few");
    const many = await measure(query, "many");
    expect(few.data[list].edges).toHaveLength(list === "runs" ? 6 : 2);
    expect(many.data[list].edges).toHaveLength(list === "runs" ? 45 : 15);
    expect(many.statements).toBe(few.statements);
    return many;
  }

  beforeAll(async () => {
    app = await startTestApp();
    await seed("few", 2);
    await seed("many", 15);
  }, 300_000);
  afterAll(async () => {
    await app?.close();
  });

  it("Dataset.versions: two page sizes and orders plus totalCount in the same statements for 2 or 15 datasets", async () => {
    const { statements, data } = await compare(DATASET_VERSIONS, "datasets");
    for (const { node } of data.datasets.edges) {
      expect(nodesOf<{ version: number }>(node.versions).map((v) => v.version)).toEqual([3, 2]);
      expect(node.versions.totalCount).toBe(3);
      expect(node.versions.pageInfo.hasNextPage).toBe(true);
      const oldest = nodesOf<Timed & { version: number }>(node.oldestFirst);
      expect(oldest).toEqual([...oldest].sort(byCreatedThenId));
      expect(oldest.map((v) => v.version)).toEqual([1, 2, 3]);
    }
    // namespace, datasets page, 2 × (ranked ids + rows), counts
    expect(statements).toBeLessThanOrEqual(7);
  });

  it("FeatureSet.features: batched first pages in both name orders, with totalCount", async () => {
    const { statements, data } = await compare(FEATURES, "featureSets");
    for (const { node } of data.featureSets.edges) {
      expect(nodesOf<{ name: string }>(node.features).map((f) => f.name)).toEqual(["alpha", "bravo"]);
      expect(nodesOf<{ name: string }>(node.byNameDesc).map((f) => f.name)).toEqual(["charlie", "bravo", "alpha"]);
      expect([node.features.totalCount, node.features.pageInfo.hasNextPage]).toEqual([3, true]);
    }
    expect(statements).toBeLessThanOrEqual(7);
  });

  it("Job.runs: newest first by default, oldest first on request, with totalCount", async () => {
    const { statements, data } = await compare(JOB_RUNS, "jobs");
    for (const { node } of data.jobs.edges) {
      const oldest = nodesOf<Timed>(node.oldestFirst);
      expect(oldest).toHaveLength(3);
      expect(oldest).toEqual([...oldest].sort(byCreatedThenId));
      expect(nodesOf<Timed>(node.runs)).toEqual([...oldest].reverse().slice(0, 2));
      expect([node.runs.totalCount, node.runs.pageInfo.hasNextPage]).toEqual([3, true]);
    }
    expect(statements).toBeLessThanOrEqual(7);
  });

  it("Run.children: the sweep's children oldest first, none for the others, with totalCount", async () => {
    const { statements, data } = await compare(RUN_CHILDREN, "runs");
    let sweeps = 0;
    for (const { node } of data.runs.edges) {
      const expected = childrenOfSweep.get(node.id) ?? [];
      const all = nodesOf<Timed>(node.all);
      expect(all.map((run) => run.id).sort()).toEqual([...expected].sort());
      expect(all).toEqual([...all].sort(byCreatedThenId));
      expect(nodesOf<Timed>(node.children)).toEqual(all.slice(0, 1));
      expect([node.children.totalCount, node.children.pageInfo.hasNextPage]).toEqual([expected.length, expected.length > 1]);
      if (expected.length > 0) sweeps += 1;
    }
    expect(sweeps).toBe(15);
    // namespace, runs page, 2 × (ranked ids + rows), counts
    expect(statements).toBeLessThanOrEqual(7);
  });

  it("pages after a batched first page continue inside the parent with the same cursors", async () => {
    const datasets = (await measure(DATASET_VERSIONS, "many")).data.datasets.edges;
    const featureSets = (await measure(FEATURES, "many")).data.featureSets.edges;
    const jobs = (await measure(JOB_RUNS, "many")).data.jobs.edges;
    const runs = (await measure(RUN_CHILDREN, "many")).data.runs.edges;
    const dataset = datasets[7].node;
    const featureSet = featureSets[7].node;
    const job = jobs[7].node;
    const sweep = runs.find((edge: { node: { id: string } }) => childrenOfSweep.has(edge.node.id)).node;
    const next = await app.graphql(NEXT_PAGES, {
      dataset: dataset.id,
      featureSet: featureSet.id,
      job: job.id,
      sweep: sweep.id,
      v: dataset.versions.pageInfo.endCursor,
      f: featureSet.features.pageInfo.endCursor,
      r: job.runs.pageInfo.endCursor,
      c: sweep.children.pageInfo.endCursor,
    });
    expect(next.errors).toBeUndefined();
    const { versions } = next.data!.dataset;
    expect([
      nodesOf<{ version: number }>(versions).map((v) => v.version),
      versions.totalCount,
      versions.pageInfo.hasNextPage,
    ]).toEqual([[1], 3, false]);
    const { features } = next.data!.featureSet;
    expect(nodesOf<{ name: string }>(features).map((f) => f.name)).toEqual(["charlie"]);
    expect([features.totalCount, features.pageInfo.hasNextPage]).toEqual([3, false]);
    const jobRuns = next.data!.job.runs;
    expect(nodesOf<{ id: string }>(jobRuns).map((run) => run.id)).toEqual([nodesOf<Timed>(job.oldestFirst)[0]!.id]);
    expect([jobRuns.totalCount, jobRuns.pageInfo.hasNextPage]).toEqual([3, false]);
    const children = next.data!.sweep.children;
    expect(nodesOf<{ id: string }>(children).map((run) => run.id)).toEqual([nodesOf<Timed>(sweep.all)[1]!.id]);
    expect([children.totalCount, children.pageInfo.hasNextPage]).toEqual([2, false]);
  });
});
