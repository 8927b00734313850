import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeLinearModelArtifact } from "../model/model-artifact.fixtures.js";
import { type TestApp, startTestApp } from "../testing/test-app.js";
import { PRODUCER, baseFacet, postLineage, runEvent, schemaFacet } from "./openlineage-testing.js";

/*
 * What an OpenLineage user reads back through GraphQL, everything over HTTP: an Airflow-like task
 * builds a feature table from a raw table; an ML training run registered through GraphQL trains on
 * one exact version of that table; a deployment serves the model. Lineage answers cross from one
 * kind of run to the other, jobs and runs show their exact versions, and the OpenLineage fields of
 * many nodes are read in a constant number of statements.
 */

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();

const JOB_NAMESPACE = "airflow-prod";
const JOB = "orders.build_features";
const RAW = { namespace: "postgres://warehouse:5432", name: "shop.orders" };
const FEATURES = { namespace: "s3://lake", name: "features.orders" };
const ML_NAMESPACE = "ml-team";

const versionFacet = (datasetVersion: string) => ({ version: { ...baseFacet("DatasetVersionDatasetFacet"), datasetVersion } });
const outputStatistics = (rowCount: number) => ({
  outputStatistics: { ...baseFacet("OutputStatisticsOutputDatasetFacet"), rowCount, size: rowCount * 100 },
});
const customFacet = (fields: Record<string, unknown>) => ({
  _producer: PRODUCER,
  _schemaURL: "https://acme.example/spec/facets/AcmeRunFacet.json",
  ...fields,
});

function datasetEvent(eventTime: string, dataset: { namespace: string; name: string }, facets: Record<string, unknown>) {
  return {
    eventTime,
    producer: PRODUCER,
    schemaURL: "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/DatasetEvent",
    dataset: { ...dataset, facets },
  };
}

const JOB_QUERY = `query($namespace: String!, $name: String!) {
  job(namespace: $namespace, name: $name) {
    id name
    runs(first: 10, orderBy: { field: CREATED_AT, direction: ASC }) { edges { node {
      id externalId status startedAt endedAt
      inputs { role datasetVersion { id version snapshotRef dataset { name } } }
      outputs { id version rowCount dataset { name } producedBy { id } }
    } } }
  }
}`;

const PROVENANCE = `query($deploymentId: ID!) {
  provenance(deploymentId: $deploymentId) {
    modelVersions {
      modelVersion { id }
      trafficPercent
      runs { depth run { id externalId job { name } } }
      datasetVersions { depth role readBy { id } datasetVersion { id } }
    }
  }
}`;

const LINEAGE_UPSTREAM = `query($id: ID!) {
  lineage(nodeId: $id, direction: UPSTREAM, depth: 10) { nodes { id type depth } truncated }
}`;

const IMPACT = `query($id: ID!) {
  impact(nodeId: $id) {
    runs { id depth }
    modelVersions { id }
    deployments { servingAt trafficPercent deployment { id } }
  }
}`;

describe("OpenLineage through GraphQL: jobs, runs, versions and lineage across OpenLineage and ML runs", () => {
  let app: TestApp;
  let artifactDir: string;
  const runIds = { first: randomUUID(), second: randomUUID() };
  const ids = {} as {
    rawV1: string;
    rawV2: string;
    firstRun: string;
    secondRun: string;
    featuresV1: string;
    featuresV2: string;
    trainingRun: string;
    modelVersion: string;
    deployment: string;
  };
  const trainingExternalId = `train-churn-${randomUUID()}`;

  async function query(text: string, variables: Record<string, unknown> = {}, headers?: Record<string, string>) {
    const result = await app.graphql(text, variables, headers);
    expect(result.errors).toBeUndefined();
    return result.data!;
  }

  /** One Airflow-like task run: START then COMPLETE, reading one raw version, writing the feature table. */
  async function featureRun(runId: string, minute: number, rawVersion: string, rowCount: number) {
    const inputs = [{ ...RAW, facets: versionFacet(rawVersion) }];
    const outputs = [
      {
        ...FEATURES,
        facets: schemaFacet([
          ["order_id", "int"],
          ["total_30d", "double"],
        ]),
      },
    ];
    const jobFacets = { sql: { ...baseFacet("SQLJobFacet"), query: "insert into features.orders select …" } };
    const start = await postLineage(
      app,
      runEvent({
        eventType: "START",
        runId,
        eventTime: at(minute),
        namespace: JOB_NAMESPACE,
        job: JOB,
        inputs,
        outputs,
        jobFacets,
      }),
    );
    expect(start.status).toBe(201);
    const complete = await postLineage(
      app,
      runEvent({
        eventType: "COMPLETE",
        runId,
        eventTime: at(minute + 5),
        namespace: JOB_NAMESPACE,
        job: JOB,
        inputs,
        outputs: [{ ...outputs[0]!, outputFacets: outputStatistics(rowCount) }],
        jobFacets,
        runFacets: { acme_attempt: customFacet({ rawVersion }) },
      }),
    );
    expect(complete.status).toBe(201);
    expect(complete.body.inputVersions).toHaveLength(1);
    expect(complete.body.outputVersions).toHaveLength(1);
    return {
      run: complete.body.run.id as string,
      input: complete.body.inputVersions[0] as string,
      output: complete.body.outputVersions[0] as string,
    };
  }

  beforeAll(async () => {
    app = await startTestApp();
    // The raw table is known in two versions before any task reads it.
    const documentation = { documentation: { ...baseFacet("DocumentationDatasetFacet"), description: "Orders, as loaded" } };
    for (const [minute, version] of [
      [0, "v1"],
      [1, "v2"],
    ] as const) {
      const answer = await postLineage(
        app,
        datasetEvent(at(minute), RAW, { ...schemaFacet([["order_id", "int"]]), ...versionFacet(version), ...documentation }),
      );
      expect(answer.status).toBe(201);
    }
    // The first task run reads raw v1 (pinned by its version facet, though v2 is newer), the second raw v2.
    const first = await featureRun(runIds.first, 10, "v1", 100);
    const second = await featureRun(runIds.second, 20, "v2", 200);
    Object.assign(ids, {
      rawV1: first.input,
      rawV2: second.input,
      firstRun: first.run,
      secondRun: second.run,
      featuresV1: first.output,
      featuresV2: second.output,
    });

    // Training through GraphQL, on the FIRST feature version (not the latest).
    const started = await query(`mutation($input: StartRunInput!) { startRun(input: $input) { run { id } } }`, {
      input: {
        namespace: ML_NAMESPACE,
        job: "train-churn",
        jobType: "training",
        externalId: trainingExternalId,
        hyperparameters: { lr: 0.01 },
        inputs: [{ datasetVersionId: ids.featuresV1, role: "TRAIN" }],
      },
    });
    ids.trainingRun = started.startRun.run.id;
    await query(`mutation($input: UpdateRunInput!) { updateRun(input: $input) { id } }`, {
      input: { id: ids.trainingRun, status: "COMPLETED" },
    });
    artifactDir = await mkdtemp(join(tmpdir(), "pedigree-openlineage-graphql-"));
    const artifact = await writeLinearModelArtifact(artifactDir, [0.5, -0.25], 0.1);
    const registered = await query(
      `mutation($input: RegisterModelVersionInput!) { registerModelVersion(input: $input) { modelVersion { id } } }`,
      {
        input: {
          namespace: ML_NAMESPACE,
          model: "churn",
          artifactUri: artifact.uri,
          artifactSha256: artifact.sha256,
          signature: artifact.signature,
          sourceRunId: ids.trainingRun,
        },
      },
    );
    ids.modelVersion = registered.registerModelVersion.modelVersion.id;
    const deployed = await query(
      `mutation($input: CreateDeploymentInput!) { createDeployment(input: $input) { deployment { id } } }`,
      {
        input: {
          namespace: ML_NAMESPACE,
          name: "churn-production",
          environment: "production",
          trafficSplit: [{ modelVersionId: ids.modelVersion, percent: 100 }],
        },
      },
    );
    ids.deployment = deployed.createDeployment.deployment.id;
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    if (artifactDir) await rm(artifactDir, { recursive: true, force: true });
  });

  describe("lineage across OpenLineage and ML runs", () => {
    it("provenance of the deployment reaches the OpenLineage run and the exact raw version it read", async () => {
      const data = await query(PROVENANCE, { deploymentId: ids.deployment });
      expect(data.provenance.modelVersions).toHaveLength(1);
      const entry = data.provenance.modelVersions[0];
      expect(entry.modelVersion.id).toBe(ids.modelVersion);
      expect(entry.trafficPercent).toBe(100);
      expect(entry.runs.map((item: any) => [item.run.id, item.depth, item.run.job.name])).toEqual([
        [ids.trainingRun, 1, "train-churn"],
        [ids.firstRun, 3, JOB],
      ]);
      expect(entry.runs[1].run.externalId).toBe(runIds.first);
      expect(entry.datasetVersions.map((item: any) => [item.datasetVersion.id, item.depth, item.readBy?.id, item.role])).toEqual([
        [ids.featuresV1, 2, ids.trainingRun, "TRAIN"],
        [ids.rawV1, 4, ids.firstRun, "OTHER"],
      ]);
    });

    it("lineage UPSTREAM of the model version walks through the OpenLineage run to raw v1, and not to v2", async () => {
      const data = await query(LINEAGE_UPSTREAM, { id: ids.modelVersion });
      const byId = new Map(data.lineage.nodes.map((node: any) => [node.id, node]));
      expect(byId.get(ids.trainingRun)).toMatchObject({ type: "RUN", depth: 1 });
      expect(byId.get(ids.featuresV1)).toMatchObject({ type: "DATASET_VERSION", depth: 2 });
      expect(byId.get(ids.firstRun)).toMatchObject({ type: "RUN", depth: 3 });
      expect(byId.get(ids.rawV1)).toMatchObject({ type: "DATASET_VERSION", depth: 4 });
      for (const unrelated of [ids.rawV2, ids.secondRun, ids.featuresV2]) expect(byId.has(unrelated)).toBe(false);
      expect(data.lineage.truncated).toBe(false);
    });

    it("impact of raw v1 reaches the training run, the model version and the deployment serving it", async () => {
      const data = await query(IMPACT, { id: ids.rawV1 });
      expect(data.impact.runs).toEqual([
        { id: ids.firstRun, depth: 1 },
        { id: ids.trainingRun, depth: 3 },
      ]);
      expect(data.impact.modelVersions).toEqual([{ id: ids.modelVersion }]);
      expect(data.impact.deployments).toEqual([{ servingAt: true, trafficPercent: 100, deployment: { id: ids.deployment } }]);
    });

    it("impact of raw v2 stops at the task run that read it: no model was trained on its output", async () => {
      const data = await query(IMPACT, { id: ids.rawV2 });
      expect(data.impact.runs).toEqual([{ id: ids.secondRun, depth: 1 }]);
      expect(data.impact.modelVersions).toEqual([]);
      expect(data.impact.deployments).toEqual([]);
    });
  });

  describe("jobs, job, runs, datasetVersions and the run lookup", () => {
    it("jobs lists the OpenLineage job in its namespace", async () => {
      const data = await query(
        `query($ns: String!) { jobs(first: 10, filter: { namespace: $ns }) { edges { node { name } } } }`,
        {
          ns: JOB_NAMESPACE,
        },
      );
      expect(data.jobs.edges.map((edge: any) => edge.node.name)).toEqual([JOB]);
    });

    it("job(namespace, name) gives each run with the exact versions it read and wrote", async () => {
      const data = await query(JOB_QUERY, { namespace: JOB_NAMESPACE, name: JOB });
      expect(data.job.name).toBe(JOB);
      const runs = data.job.runs.edges.map((edge: any) => edge.node);
      expect(runs).toEqual([
        {
          id: ids.firstRun,
          externalId: runIds.first,
          status: "COMPLETED",
          startedAt: at(10),
          endedAt: at(15),
          inputs: [
            { role: "OTHER", datasetVersion: { id: ids.rawV1, version: 1, snapshotRef: "v1", dataset: { name: RAW.name } } },
          ],
          outputs: [
            { id: ids.featuresV1, version: 1, rowCount: 100, dataset: { name: FEATURES.name }, producedBy: { id: ids.firstRun } },
          ],
        },
        {
          id: ids.secondRun,
          externalId: runIds.second,
          status: "COMPLETED",
          startedAt: at(20),
          endedAt: at(25),
          inputs: [
            { role: "OTHER", datasetVersion: { id: ids.rawV2, version: 2, snapshotRef: "v2", dataset: { name: RAW.name } } },
          ],
          outputs: [
            {
              id: ids.featuresV2,
              version: 2,
              rowCount: 200,
              dataset: { name: FEATURES.name },
              producedBy: { id: ids.secondRun },
            },
          ],
        },
      ]);
    });

    it("job(namespace, name) is null for an unknown job or namespace", async () => {
      const data = await query(`{
        otherName: job(namespace: "${JOB_NAMESPACE}", name: "no.such.task") { id }
        otherNamespace: job(namespace: "no-such-namespace", name: "${JOB}") { id }
      }`);
      expect(data).toEqual({ otherName: null, otherNamespace: null });
    });

    it("datasetVersions of the feature table give each version with the run that produced it and the runs that read it", async () => {
      const dataset = await query(`query($ns: String!, $name: String!) { dataset(namespace: $ns, name: $name) { id } }`, {
        ns: FEATURES.namespace,
        name: FEATURES.name,
      });
      const data = await query(
        `query($id: ID!) { datasetVersions(first: 10, filter: { datasetId: $id }, orderBy: { field: VERSION, direction: ASC }) {
          totalCount edges { node { id version producedBy { id externalId job { name } } consumedBy { id externalId } } }
        } }`,
        { id: dataset.dataset.id },
      );
      expect(data.datasetVersions.totalCount).toBe(2);
      expect(data.datasetVersions.edges.map((edge: any) => edge.node)).toEqual([
        {
          id: ids.featuresV1,
          version: 1,
          producedBy: { id: ids.firstRun, externalId: runIds.first, job: { name: JOB } },
          consumedBy: [{ id: ids.trainingRun, externalId: trainingExternalId }],
        },
        {
          id: ids.featuresV2,
          version: 2,
          producedBy: { id: ids.secondRun, externalId: runIds.second, job: { name: JOB } },
          consumedBy: [],
        },
      ]);
    });

    it("run(externalId) finds an OpenLineage run by the runId its integration sent, and a training run by its own id", async () => {
      const data = await query(
        `query($ol: String!, $ml: String!, $unknown: String!) {
          ol: run(externalId: $ol) { id status job { name namespace { name } } }
          ml: run(externalId: $ml) { id job { name } }
          unknown: run(externalId: $unknown) { id }
        }`,
        { ol: runIds.first, ml: trainingExternalId, unknown: randomUUID() },
      );
      expect(data).toEqual({
        ol: { id: ids.firstRun, status: "COMPLETED", job: { name: JOB, namespace: { name: JOB_NAMESPACE } } },
        ml: { id: ids.trainingRun, job: { name: "train-churn" } },
        unknown: null,
      });
    });

    it("job and run lookups answer null for what the caller's namespaces do not include", async () => {
      const viewer = await app.tokenFor("VIEWER", ML_NAMESPACE);
      const data = await query(
        `query($ns: String!, $name: String!, $ol: String!, $ml: String!) {
          hiddenJob: job(namespace: $ns, name: $name) { id }
          ownJob: job(namespace: "${ML_NAMESPACE}", name: "train-churn") { name }
          hiddenRun: run(externalId: $ol) { id }
          ownRun: run(externalId: $ml) { id }
        }`,
        { ns: JOB_NAMESPACE, name: JOB, ol: runIds.first, ml: trainingExternalId },
        viewer.headers,
      );
      expect(data).toEqual({
        hiddenJob: null,
        ownJob: { name: "train-churn" },
        hiddenRun: null,
        ownRun: { id: ids.trainingRun },
      });
    });
  });

  describe("OpenLineage fields of many nodes, through DataLoaders", () => {
    const NESTED = `query($ns: String!) {
      jobs(first: 50, filter: { namespace: $ns }) { edges { node { name openLineageFacets
        runs(first: 10, orderBy: { field: CREATED_AT, direction: ASC }) { edges { node { externalId openLineageFacets
          openLineageEvents { eventType eventTime payload }
          inputs { datasetVersion { openLineageFacets dataset { name openLineageFacets } } }
          outputs { openLineageFacets dataset { name openLineageFacets } }
        } } }
      } } }
    }`;
    const RUNS_PER_JOB = 2;
    const seeded = new Map<string, string[]>();

    /** `jobs` OpenLineage jobs of `RUNS_PER_JOB` runs each; every node carries facets that name it. */
    async function seed(namespace: string, jobs: number) {
      const runs: string[] = [];
      for (let job = 0; job < jobs; job += 1) {
        for (let attempt = 0; attempt < RUNS_PER_JOB; attempt += 1) {
          const runId = randomUUID();
          runs.push(runId);
          const label = `${namespace}/${job}/${attempt}`;
          const inputs = [
            {
              namespace: "s3://batch",
              name: `${namespace}.in_${job}_${attempt}`,
              facets: { documentation: { ...baseFacet("DocumentationDatasetFacet"), description: `input ${label}` } },
              inputFacets: {
                dataQualityMetrics: {
                  ...baseFacet("DataQualityMetricsInputDatasetFacet"),
                  rowCount: 1_000 * job + attempt,
                  columnMetrics: {},
                },
              },
            },
          ];
          const outputs = [
            {
              namespace: "s3://batch",
              name: `${namespace}.out_${job}_${attempt}`,
              facets: {
                ...schemaFacet([["id", "int"]]),
                documentation: { ...baseFacet("DocumentationDatasetFacet"), description: `output ${label}` },
              },
              outputFacets: outputStatistics(10 * job + attempt + 1),
            },
          ];
          const common = {
            runId,
            namespace,
            job: `task_${job}`,
            inputs,
            outputs,
            jobFacets: { sql: { ...baseFacet("SQLJobFacet"), query: `select ${job}` } },
            runFacets: { acme_label: customFacet({ label }) },
          };
          for (const [eventType, minute] of [
            ["START", 30 + attempt * 2],
            ["COMPLETE", 31 + attempt * 2],
          ] as const) {
            const answer = await postLineage(app, runEvent({ ...common, eventType, eventTime: at(minute) }));
            expect(answer.status, JSON.stringify(answer.body)).toBe(201);
          }
        }
      }
      seeded.set(namespace, runs);
    }

    async function read(namespace: string) {
      const before = app.db.statements.count;
      const data = await query(NESTED, { ns: namespace });
      return { statements: app.db.statements.count - before, jobs: data.jobs.edges.map((edge: any) => edge.node) };
    }

    beforeAll(async () => {
      await seed("batch-small", 1);
      await seed("batch-large", 5);
    }, 120_000);

    it("returns each node's own facets and events", async () => {
      const { jobs } = await read("batch-large");
      expect(jobs.map((job: any) => job.name)).toEqual(["task_0", "task_1", "task_2", "task_3", "task_4"]);
      const runIds = seeded.get("batch-large")!;
      for (const [jobIndex, job] of jobs.entries()) {
        expect(job.openLineageFacets.sql.query).toBe(`select ${jobIndex}`);
        const runs = job.runs.edges.map((edge: any) => edge.node);
        expect(runs).toHaveLength(RUNS_PER_JOB);
        for (const [attempt, run] of runs.entries()) {
          const label = `batch-large/${jobIndex}/${attempt}`;
          expect(run.externalId).toBe(runIds[jobIndex * RUNS_PER_JOB + attempt]);
          expect(run.openLineageFacets.acme_label.label).toBe(label);
          expect(run.openLineageEvents.map((event: any) => [event.eventType, event.eventTime])).toEqual([
            ["START", at(30 + attempt * 2)],
            ["COMPLETE", at(31 + attempt * 2)],
          ]);
          expect(run.openLineageEvents.every((event: any) => event.payload.run.runId === run.externalId)).toBe(true);
          expect(run.inputs).toHaveLength(1);
          const input = run.inputs[0].datasetVersion;
          expect(input.dataset.name).toBe(`batch-large.in_${jobIndex}_${attempt}`);
          expect(input.dataset.openLineageFacets.documentation.description).toBe(`input ${label}`);
          expect(input.openLineageFacets["input.dataQualityMetrics"].rowCount).toBe(1_000 * jobIndex + attempt);
          expect(run.outputs).toHaveLength(1);
          const output = run.outputs[0];
          expect(output.dataset.name).toBe(`batch-large.out_${jobIndex}_${attempt}`);
          expect(output.dataset.openLineageFacets.documentation.description).toBe(`output ${label}`);
          expect(output.openLineageFacets["output.outputStatistics"].rowCount).toBe(10 * jobIndex + attempt + 1);
          expect(output.openLineageFacets.schema.fields).toEqual([{ name: "id", type: "int" }]);
        }
      }
    });

    it("reads five jobs' facets and events in as many statements as one job's", async () => {
      const small = await read("batch-small");
      const large = await read("batch-large");
      expect(small.jobs).toHaveLength(1);
      expect(large.jobs).toHaveLength(5);
      expect(large.statements).toBe(small.statements);
    });
  });
});
