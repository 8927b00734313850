import { randomUUID } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestApp, startTestApp } from "../testing/test-app.js";
import { PRODUCER, baseFacet, postLineage, runEvent, schemaFacet } from "./openlineage-testing.js";
import { OpenLineageValidator } from "./openlineage-validator.js";

const RUN = `query($id: ID!) { node(id: $id) { ... on Run {
  id externalId status startedAt endedAt nominalTime errorMessage
  job { name jobType description namespace { name } }
  parent { externalId job { name } }
  inputs { datasetVersion { id version dataset { name } } }
  outputs { id version rowCount snapshotRef schema { name type } producedBy { externalId } }
} } }`;

const EXAMPLES = new URL("./spec/examples/", import.meta.url);
const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();

describe("OpenLineage ingestion: mapping into the graph", () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  async function runOf(nodeId: string) {
    const result = await app.graphql(RUN, { id: nodeId });
    expect(result.errors).toBeUndefined();
    return result.data!.node;
  }

  it("maps a START and COMPLETE pair: job, run state, pinned inputs, a produced output version", async () => {
    const runId = randomUUID();
    const inputs = [{ namespace: "postgres://db:5432", name: "shop.orders", facets: schemaFacet([["id", "int"]]) }];
    const outputs = [
      {
        namespace: "s3://lake",
        name: "features.orders",
        facets: schemaFacet([
          ["id", "int"],
          ["total", "double"],
        ]),
      },
    ];
    const start = await postLineage(app, runEvent({ eventType: "START", runId, eventTime: at(0), inputs, outputs }));
    expect(start.status).toBe(201);
    expect(start.body).toMatchObject({ outcome: "CREATED", kind: "RUN", run: { status: "RUNNING" }, outputVersions: [] });
    const complete = await postLineage(
      app,
      runEvent({
        eventType: "COMPLETE",
        runId,
        eventTime: at(5),
        inputs,
        outputs: [
          {
            ...outputs[0]!,
            outputFacets: { outputStatistics: { ...baseFacet("OutputStatisticsOutputDatasetFacet"), rowCount: 42, size: 1000 } },
          },
        ],
      }),
    );
    expect(complete.status).toBe(201);
    expect(complete.body.outputVersions).toHaveLength(1);
    const run = await runOf(complete.body.run.id);
    expect(run).toMatchObject({
      externalId: runId,
      status: "COMPLETED",
      startedAt: at(0),
      endedAt: at(5),
      job: { name: "etl.load_orders", namespace: { name: "airflow" } },
      inputs: [{ datasetVersion: { version: 1, dataset: { name: "shop.orders" } } }],
      outputs: [{ version: 1, rowCount: 42, schema: [{ name: "id" }, { name: "total" }], producedBy: { externalId: runId } }],
    });
  });

  it("maps the symlinks facet: events naming another identifier of a dataset land on the same dataset", async () => {
    const writer = randomUUID();
    const symlinks = {
      symlinks: {
        ...baseFacet("SymlinksDatasetFacet"),
        identifiers: [{ namespace: "hive://metastore", name: "sales.orders_sym", type: "TABLE" }],
      },
    };
    const output = {
      namespace: "s3://lake",
      name: "warehouse/orders_sym",
      facets: { ...schemaFacet([["id", "int"]]), ...symlinks },
    };
    const written = await postLineage(
      app,
      runEvent({ eventType: "COMPLETE", runId: writer, eventTime: at(1), outputs: [output] }),
    );
    expect(written.status).toBe(201);
    // A later run names the table by its Hive identifier: it reads the S3 dataset's version.
    const reader = await postLineage(
      app,
      runEvent({
        eventType: "START",
        eventTime: at(2),
        job: "etl.read_orders_sym",
        inputs: [{ namespace: "hive://metastore", name: "sales.orders_sym" }],
      }),
    );
    expect(reader.status).toBe(201);
    expect(reader.body.inputVersions).toEqual(written.body.outputVersions);
    const datasets = await app.graphql(
      `{ datasets(filter: { nameContains: "orders_sym" }) { totalCount edges { node { name namespace { name }
          symlinks { namespace name type } } } } }`,
    );
    expect(datasets.errors).toBeUndefined();
    expect(datasets.data!.datasets).toEqual({
      totalCount: 1,
      edges: [
        {
          node: {
            name: "warehouse/orders_sym",
            namespace: { name: "s3://lake" },
            symlinks: [{ namespace: "hive://metastore", name: "sales.orders_sym", type: "TABLE" }],
          },
        },
      ],
    });
    // The identifier's namespace is not made a Pedigree namespace.
    const namespaces = await app.graphql(`{ namespaces(first: 100) { edges { node { name } } } }`);
    const names = (namespaces.data!.namespaces as { edges: Array<{ node: { name: string } }> }).edges.map(
      (edge) => edge.node.name,
    );
    expect(names).toContain("s3://lake");
    expect(names).not.toContain("hive://metastore");
  });

  it("loses nothing when COMPLETE arrives before START, and answers the same event twice once", async () => {
    const runId = randomUUID();
    const outputs = [{ namespace: "s3://lake", name: "ooo.out", facets: schemaFacet([["a", "int"]]) }];
    const complete = runEvent({ eventType: "COMPLETE", runId, eventTime: at(9), outputs });
    const start = runEvent({
      eventType: "START",
      runId,
      eventTime: at(1),
      inputs: [{ namespace: "s3://lake", name: "ooo.in" }],
      runFacets: { nominalTime: { ...baseFacet("NominalTimeRunFacet"), nominalStartTime: at(0) } },
    });
    const first = await postLineage(app, complete);
    expect(first.body.run.status).toBe("COMPLETED");
    const second = await postLineage(app, start);
    expect(second.status).toBe(201);
    const run = await runOf(second.body.run.id);
    expect(run).toMatchObject({ status: "COMPLETED", startedAt: at(1), endedAt: at(9), nominalTime: at(0) });
    expect(run.inputs.map((input: any) => input.datasetVersion.dataset.name)).toEqual(["ooo.in"]);
    expect(run.outputs).toHaveLength(1);

    const before = await app.countRows([
      "openlineage_event",
      "run",
      "dataset_version",
      "lineage_edge",
      "audit_event",
      "graph_outbox",
    ]);
    // Same event, other key order and spacing: the canonical JSON is the same.
    const reordered = JSON.stringify(Object.fromEntries(Object.entries(start).reverse()), null, 2);
    const again = await postLineage(app, null, { raw: reordered });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ outcome: "DUPLICATE", run: { id: second.body.run.id } });
    expect(
      await app.countRows(["openlineage_event", "run", "dataset_version", "lineage_edge", "audit_event", "graph_outbox"]),
    ).toEqual(before);
  });

  it("maps job facets, parent runs, error messages and keeps unknown facets", async () => {
    const parentRunId = randomUUID();
    const result = await postLineage(
      app,
      runEvent({
        eventType: "FAIL",
        eventTime: at(3),
        job: "dbt.orders",
        jobFacets: {
          jobType: { ...baseFacet("JobTypeJobFacet"), processingType: "BATCH", integration: "DBT", jobType: "MODEL" },
          documentation: { ...baseFacet("DocumentationJobFacet"), description: "Orders model" },
          sql: { ...baseFacet("SQLJobFacet"), query: "select * from orders" },
        },
        runFacets: {
          parent: {
            ...baseFacet("ParentRunFacet"),
            run: { runId: parentRunId },
            job: { namespace: "airflow", name: "dag.daily" },
          },
          errorMessage: { ...baseFacet("ErrorMessageRunFacet"), message: "boom", programmingLanguage: "python" },
          acme_custom: { _producer: PRODUCER, _schemaURL: "https://acme.example/custom.json", anything: [1, 2] },
        },
      }),
    );
    expect(result.status).toBe(201);
    const run = await runOf(result.body.run.id);
    expect(run).toMatchObject({
      status: "FAILED",
      errorMessage: "boom",
      job: { name: "dbt.orders", jobType: "MODEL", description: "Orders model" },
      parent: { externalId: parentRunId, job: { name: "dag.daily" } },
    });
    const facets = await app.graphql(
      `query($id: ID!) { node(id: $id) { ... on Run { openLineageFacets job { openLineageFacets } openLineageEvents { eventType eventTime payload } } } }`,
      { id: result.body.run.id },
    );
    expect(facets.errors).toBeUndefined();
    expect(facets.data!.node.openLineageFacets.acme_custom.anything).toEqual([1, 2]);
    expect(facets.data!.node.job.openLineageFacets.sql.query).toBe("select * from orders");
    expect(facets.data!.node.openLineageEvents).toMatchObject([{ eventType: "FAIL", eventTime: at(3) }]);
  });

  it("accepts every example of the specification and lands its content in the graph", async () => {
    const validator = new OpenLineageValidator();
    const specTests = new URL("spec-tests/", EXAMPLES);
    let count = 0;
    for (const folder of readdirSync(specTests)) {
      const files = folder.endsWith(".json") ? [""] : readdirSync(new URL(`${folder}/`, specTests));
      for (const file of files) {
        const document = JSON.parse(readFileSync(new URL(file ? `${folder}/${file}` : folder, specTests), "utf8"));
        const event = file ? eventAround(folder, document) : document;
        const response = await postLineage(app, event);
        expect(response.status, `${folder}/${file}: ${JSON.stringify(response.body)}`).toBe(201);
        // The facets sent are stored on the node they describe.
        const name = Object.keys(document)[0]!;
        const stored = await app.db.pool.query("SELECT count(*)::int AS n FROM openlineage_facet WHERE name IN ($1, $2, $3)", [
          name,
          `input.${name}`,
          `output.${name}`,
        ]);
        if (file) expect(stored.rows[0].n, `${folder}/${file}`).toBeGreaterThan(0);
        count += 1;
      }
    }
    expect(count).toBeGreaterThan(40);
    const simple = JSON.parse(readFileSync(new URL("simple_run_event.json", EXAMPLES), "utf8"));
    const response = await postLineage(app, simple);
    expect(response.status).toBe(201);
    expect(response.body.warnings).toEqual([{ path: "$.run.runId", message: expect.stringMatching(/not a UUID/) }]);
    const run = await runOf(response.body.run.id);
    expect(run).toMatchObject({ externalId: "run_id", status: "COMPLETED", job: { name: "job_name" } });
    expect(run.inputs.map((input: any) => input.datasetVersion.dataset.name)).toEqual(["test.table.input"]);
    expect(run.outputs).toHaveLength(1);
    expect(validator).toBeDefined();
  });

  it("maps the columnLineage facet into field-level DERIVES edges", async () => {
    const runId = randomUUID();
    const lineage = JSON.parse(readFileSync(new URL("spec-tests/ColumnLineageDatasetFacet/1.json", EXAMPLES), "utf8"));
    const event = runEvent({
      eventType: "COMPLETE",
      runId,
      eventTime: at(20),
      inputs: [
        { namespace: "SnowflakeOpenLineage", name: "CUSTOMERS" },
        { namespace: "SnowflakeOpenLineage", name: "DISCOUNTS" },
      ],
      outputs: [{ namespace: "SnowflakeOpenLineage", name: "CUSTOMER_DISCOUNTS", facets: lineage }],
    });
    const response = await postLineage(app, event);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    const { rows } = await app.db.pool.query(
      `SELECT up.name AS input, down.name AS output FROM lineage_edge e
       JOIN dataset_field up ON up.id = e.upstream_id JOIN dataset_field down ON down.id = e.downstream_id
       WHERE e.kind = 'DERIVES' AND down.dataset_version_id = $1::uuid ORDER BY 2, 1`,
      [Buffer.from(response.body.outputVersions[0], "base64url").toString().split(":")[1]],
    );
    expect(rows).toContainEqual({ input: "NAME", output: "NAME" });
    expect(rows).toContainEqual({ input: "CUSTOMERS_ID", output: "AMOUNT_OFF" });
    expect(rows.length).toBe(12);
  });
});

/** Places a facet example of the spec in an event, where facets of its kind go. */
function eventAround(facetFile: string, facets: Record<string, unknown>) {
  const kinds = OpenLineageValidator.facetKindsOf(facetFile);
  const kind = kinds.length > 1 ? (JSON.stringify(facets).includes("LineageJobFacet") ? "JobFacet" : kinds[0]) : kinds[0];
  const event = runEvent({
    eventType: "COMPLETE",
    eventTime: at(30),
    job: `examples.${facetFile}`,
    inputs: [{ namespace: "examples", name: `${facetFile}.in` }],
    outputs: [{ namespace: "examples", name: `${facetFile}.out` }],
  });
  if (kind === "RunFacet") event.run.facets = facets;
  else if (kind === "JobFacet") event.job.facets = facets;
  else if (kind === "DatasetFacet") event.outputs[0]!.facets = facets;
  else if (kind === "InputDatasetFacet") event.inputs[0]!.inputFacets = facets;
  else event.outputs[0]!.outputFacets = facets;
  return event;
}
