import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestApp, startTestApp } from "../testing/test-app.js";
import { OPENLINEAGE_WRITE_TABLES, PRODUCER, baseFacet, postLineage, runEvent, schemaFacet } from "./openlineage-testing.js";

/**
 * The batched write path of POST /api/v1/lineage (group commit, set-based apply, split-and-retry):
 * events applied together must come out as if each had been applied alone, in arrival order.
 */

const at = (minute: number) => new Date(Date.UTC(2026, 2, 1, 0, minute)).toISOString();

const RUN_QUERY = `query($externalId: String!) { run(externalId: $externalId) {
  id externalId status startedAt endedAt nominalTime
  job { name namespace { name } }
  inputs { datasetVersion { id version snapshotRef createdAt dataset { name } } }
  outputs { id version rowCount producedBy { externalId } dataset { name } }
  openLineageEvents { eventType eventTime eventHash }
} }`;

const versionFacet = (datasetVersion: string) => ({ version: { ...baseFacet("DatasetVersionDatasetFacet"), datasetVersion } });
const nominalTimeFacet = (minute: number) => ({
  nominalTime: { ...baseFacet("NominalTimeRunFacet"), nominalStartTime: at(minute) },
});
const outputStatistics = (rowCount: number) => ({
  outputStatistics: { ...baseFacet("OutputStatisticsOutputDatasetFacet"), rowCount, size: rowCount * 10 },
});
const columnLineageFacet = (fields: Record<string, Array<{ namespace: string; name: string; field: string }>>) => ({
  columnLineage: {
    _producer: PRODUCER,
    _schemaURL: "https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json",
    fields: Object.fromEntries(Object.entries(fields).map(([field, inputFields]) => [field, { inputFields }])),
  },
});

function datasetEvent(eventTime: string, dataset: { namespace: string; name: string }, facets: Record<string, unknown>) {
  return {
    eventTime,
    producer: PRODUCER,
    schemaURL: "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/DatasetEvent",
    dataset: { ...dataset, facets },
  };
}

/** A reproducible shuffle (mulberry32), so a failing order can be replayed. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

describe("POST /api/v1/lineage: events applied together behave as applied one by one", () => {
  let app: TestApp;
  let admin: Record<string, string>;

  beforeAll(async () => {
    app = await startTestApp({ config: { anonymousRole: null } });
    admin = (await app.tokenFor("ADMIN")).headers;
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  async function gql(query: string, variables: Record<string, unknown> = {}, headers = admin) {
    const response = await app.graphql(query, variables, headers);
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    return response.data!;
  }
  async function runOf(externalId: string) {
    return (await gql(RUN_QUERY, { externalId })).run;
  }
  async function post(body: unknown, headers = admin) {
    return postLineage(app, body, { headers });
  }
  async function verifyChain() {
    return (await gql(`{ verifyAuditChain { ok eventsChecked brokenLink { problem message } } }`)).verifyAuditChain;
  }

  /** Two runs of one namespace: R1 pinned to the version current at its time, R2 to a `version` facet. */
  function twoRunScenario(namespace: string) {
    const r1 = randomUUID();
    const r2 = randomUUID();
    const orders = { namespace, name: "raw.orders" };
    const customers = { namespace, name: "raw.customers" };
    const setup = [
      datasetEvent(at(0), orders, schemaFacet([["id", "int"]])),
      // Newer than both runs: not what they read.
      datasetEvent(
        at(20),
        orders,
        schemaFacet([
          ["id", "int"],
          ["amount", "double"],
        ]),
      ),
      datasetEvent(at(0), customers, versionFacet("snap-7")),
      // Current when R2 starts, but R2 says it read snap-7.
      datasetEvent(at(1), customers, versionFacet("snap-8")),
    ];
    const out1 = { namespace, name: "features.orders", facets: schemaFacet([["id", "int"]]) };
    const out2 = { namespace, name: "features.customers", facets: schemaFacet([["id", "int"]]) };
    const r1Complete = runEvent({
      eventType: "COMPLETE",
      runId: r1,
      eventTime: at(9),
      namespace,
      job: "build.orders",
      inputs: [orders],
      outputs: [{ ...out1, outputFacets: outputStatistics(42) }],
    });
    const r1Start = runEvent({
      eventType: "START",
      runId: r1,
      eventTime: at(1),
      namespace,
      job: "build.orders",
      inputs: [orders],
      outputs: [out1],
      runFacets: nominalTimeFacet(0),
    });
    const pinned = [{ ...customers, facets: versionFacet("snap-7") }];
    const r2Start = runEvent({
      eventType: "START",
      runId: r2,
      eventTime: at(2),
      namespace,
      job: "build.customers",
      inputs: pinned,
      outputs: [out2],
    });
    const r2Complete = runEvent({
      eventType: "COMPLETE",
      runId: r2,
      eventTime: at(6),
      namespace,
      job: "build.customers",
      inputs: pinned,
      outputs: [{ ...out2, outputFacets: outputStatistics(7) }],
    });
    return { r1, r2, setup, r1Complete, r1Start, r2Start, r2Complete };
  }

  /** What a run came to, without ids that differ between namespaces. */
  async function comparableState(externalId: string) {
    const run = await runOf(externalId);
    expect(run).not.toBeNull();
    return {
      status: run.status,
      startedAt: run.startedAt,
      endedAt: run.endedAt,
      nominalTime: run.nominalTime,
      job: run.job.name,
      inputs: run.inputs
        .map(
          (input: any) =>
            `${input.datasetVersion.dataset.name}@v${input.datasetVersion.version}:${input.datasetVersion.snapshotRef}`,
        )
        .sort(),
      outputs: run.outputs.map((output: any) => `${output.dataset.name}@v${output.version} rows=${output.rowCount}`).sort(),
      producedByItself: run.outputs.every((output: any) => output.producedBy?.externalId === externalId),
      events: run.openLineageEvents.length,
    };
  }

  it("folds a COMPLETE before its START in one array, pins inputs, writes one output version per run, whatever the order", async () => {
    const batched = twoRunScenario(`batch-order-${randomUUID()}`);
    for (const event of batched.setup) expect((await post(event)).status).toBe(201);

    const response = await post([batched.r1Complete, batched.r1Start, batched.r2Start, batched.r2Complete]);
    expect(response.status).toBe(207);
    expect(response.body.summary).toEqual({ received: 4, created: 4, duplicate: 0, failed: 0 });
    expect(response.body.results.map((result: any) => [result.status, result.run.status])).toEqual([
      [201, "COMPLETED"],
      [201, "COMPLETED"],
      [201, "RUNNING"],
      [201, "COMPLETED"],
    ]);
    // R1's START arrives after its COMPLETE: the same output version, not a second one.
    expect(response.body.results[0].outputVersions).toHaveLength(1);
    expect(response.body.results[1].outputVersions).toEqual(response.body.results[0].outputVersions);
    expect(response.body.results[3].outputVersions).toHaveLength(1);

    const r1 = await runOf(batched.r1);
    expect(r1).toMatchObject({ status: "COMPLETED", startedAt: at(1), endedAt: at(9), nominalTime: at(0) });
    expect(r1.inputs).toEqual([
      { datasetVersion: expect.objectContaining({ version: 1, createdAt: at(0), dataset: { name: "raw.orders" } }) },
    ]);
    expect(r1.outputs).toEqual([
      expect.objectContaining({
        version: 1,
        rowCount: 42,
        producedBy: { externalId: batched.r1 },
        dataset: { name: "features.orders" },
      }),
    ]);
    const r2 = await runOf(batched.r2);
    expect(r2).toMatchObject({ status: "COMPLETED", startedAt: at(2), endedAt: at(6), nominalTime: null });
    expect(r2.inputs).toEqual([
      { datasetVersion: expect.objectContaining({ version: 1, snapshotRef: "snap-7", dataset: { name: "raw.customers" } }) },
    ]);
    expect(r2.outputs).toEqual([expect.objectContaining({ version: 1, rowCount: 7, producedBy: { externalId: batched.r2 } })]);

    // The same events one request each, in another order, into a fresh namespace.
    const single = twoRunScenario(`single-order-${randomUUID()}`);
    for (const event of single.setup) expect((await post(event)).status).toBe(201);
    for (const event of [single.r2Complete, single.r1Start, single.r2Start, single.r1Complete]) {
      expect((await post(event)).status).toBe(201);
    }
    expect(await comparableState(single.r1)).toEqual(await comparableState(batched.r1));
    expect(await comparableState(single.r2)).toEqual(await comparableState(batched.r2));
    expect((await comparableState(batched.r1)).producedByItself).toBe(true);
  });

  it("answers the same event twice in one array as CREATED then DUPLICATE with the first's eventId, and stores it once", async () => {
    const runId = randomUUID();
    const event = runEvent({
      eventType: "START",
      runId,
      eventTime: at(3),
      namespace: `dup-${randomUUID()}`,
      inputs: [{ namespace: "dup-data", name: "in" }],
    });
    const response = await post([event, event]);
    expect(response.status).toBe(207);
    expect(response.body.summary).toEqual({ received: 2, created: 1, duplicate: 1, failed: 0 });
    const [first, second] = response.body.results;
    expect(first).toMatchObject({ index: 0, status: 201, outcome: "CREATED" });
    expect(second).toMatchObject({
      index: 1,
      status: 200,
      outcome: "DUPLICATE",
      eventId: first.eventId,
      run: { id: first.run.id },
    });
    const run = await runOf(runId);
    expect(run.openLineageEvents).toEqual([{ eventType: "START", eventTime: at(3), eventHash: first.eventHash }]);
    expect(run.inputs).toHaveLength(1);

    // Sent again later: the stored one, nothing written.
    const before = await app.countRows(OPENLINEAGE_WRITE_TABLES);
    const again = await post(event);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ outcome: "DUPLICATE", eventId: first.eventId });
    expect(await app.countRows(OPENLINEAGE_WRITE_TABLES)).toEqual(before);
  });

  it("refuses a run id of another job with 409 inside an array, writes the others and nothing of it", async () => {
    const namespace = `conflict-${randomUUID()}`;
    const owned = randomUUID();
    expect((await post(runEvent({ eventType: "START", runId: owned, eventTime: at(0), namespace, job: "owner" }))).status).toBe(
      201,
    );
    const reused = randomUUID();
    const events = [
      runEvent({ eventType: "START", eventTime: at(1), namespace, job: "good.a", outputs: [{ namespace, name: "good.a.out" }] }),
      // A run id that belongs to the job "owner", sent for a new job with a new dataset.
      runEvent({
        eventType: "COMPLETE",
        runId: owned,
        eventTime: at(2),
        namespace,
        job: "thief",
        inputs: [{ namespace, name: "thief.in" }],
        outputs: [{ namespace, name: "thief.out", facets: schemaFacet([["x", "int"]]) }],
      }),
      runEvent({ eventType: "START", runId: reused, eventTime: at(3), namespace, job: "good.b" }),
      // A run id first used earlier in this same array by another job.
      runEvent({ eventType: "COMPLETE", runId: reused, eventTime: at(4), namespace, job: "thief.too" }),
    ];
    const before = await app.countRows(OPENLINEAGE_WRITE_TABLES);
    const response = await post(events);
    expect(response.status).toBe(207);
    expect(response.body.results.map((result: any) => result.status)).toEqual([201, 409, 201, 409]);
    expect(response.body.results[1].errors[0]).toMatchObject({
      message: expect.stringContaining(owned),
      extensions: { code: "CONFLICT" },
    });
    expect(response.body.results[3].errors[0].extensions.code).toBe("CONFLICT");
    expect(response.body.summary).toEqual({ received: 4, created: 2, duplicate: 0, failed: 2 });

    const after = await app.countRows(OPENLINEAGE_WRITE_TABLES);
    expect(after.openlineage_event).toBe(before.openlineage_event! + 2);
    expect(after.job).toBe(before.job! + 2);
    expect(after.run).toBe(before.run! + 2);
    expect(after.dataset).toBe(before.dataset! + 1);
    expect(after.dataset_version).toBe(before.dataset_version!);
    const lookups = await gql(
      `query($namespace: String!) {
        thief: job(namespace: $namespace, name: "thief") { id }
        thiefToo: job(namespace: $namespace, name: "thief.too") { id }
        input: dataset(namespace: $namespace, name: "thief.in") { id }
        output: dataset(namespace: $namespace, name: "thief.out") { id }
      }`,
      { namespace },
    );
    expect(lookups).toEqual({ thief: null, thiefToo: null, input: null, output: null });
    expect(await runOf(owned)).toMatchObject({
      status: "RUNNING",
      job: { name: "owner" },
      openLineageEvents: [{ eventType: "START" }],
    });
    expect(await runOf(reused)).toMatchObject({
      status: "RUNNING",
      job: { name: "good.b" },
      openLineageEvents: [{ eventType: "START" }],
    });
  });

  it("fails only the event whose column lineage is refused when applied (400), writes the others and nothing of it", async () => {
    const namespace = `column-${randomUUID()}`;
    const source = { namespace, name: "cl.in", facets: schemaFacet([["id", "int"]]) };
    const goodRun = randomUUID();
    const badRun = randomUUID();
    const events = [
      runEvent({ eventType: "START", runId: goodRun, eventTime: at(1), namespace, job: "cl.good", inputs: [source] }),
      runEvent({
        eventType: "COMPLETE",
        runId: badRun,
        eventTime: at(2),
        namespace,
        job: "cl.bad",
        inputs: [source],
        outputs: [
          {
            namespace,
            name: "cl.bad.out",
            // "ghost" is not a field of the output's schema: the column lineage service refuses it.
            facets: {
              ...schemaFacet([
                ["id", "int"],
                ["total", "double"],
              ]),
              ...columnLineageFacet({ ghost: [{ namespace, name: "cl.in", field: "id" }] }),
            },
          },
        ],
      }),
      runEvent({
        eventType: "COMPLETE",
        runId: goodRun,
        eventTime: at(3),
        namespace,
        job: "cl.good",
        inputs: [source],
        outputs: [
          {
            namespace,
            name: "cl.good.out",
            facets: {
              ...schemaFacet([["id", "int"]]),
              ...columnLineageFacet({ id: [{ namespace, name: "cl.in", field: "id" }] }),
            },
          },
        ],
      }),
    ];
    const before = await app.countRows(OPENLINEAGE_WRITE_TABLES);
    const response = await post(events);
    expect(response.status).toBe(207);
    expect(response.body.results.map((result: any) => result.status)).toEqual([201, 400, 201]);
    expect(response.body.results[1].errors[0]).toMatchObject({
      message: expect.stringContaining("ghost"),
      extensions: { code: "BAD_USER_INPUT" },
    });
    expect(response.body.summary).toEqual({ received: 3, created: 2, duplicate: 0, failed: 1 });

    expect(await runOf(badRun)).toBeNull();
    const lookups = await gql(
      `query($namespace: String!) {
        job: job(namespace: $namespace, name: "cl.bad") { id }
        output: dataset(namespace: $namespace, name: "cl.bad.out") { id }
      }`,
      { namespace },
    );
    expect(lookups).toEqual({ job: null, output: null });
    const after = await app.countRows(OPENLINEAGE_WRITE_TABLES);
    expect(after.openlineage_event).toBe(before.openlineage_event! + 2);
    expect(after.run).toBe(before.run! + 1);

    // The good run's column lineage went in.
    const good = await runOf(goodRun);
    expect(good).toMatchObject({ status: "COMPLETED", startedAt: at(1), endedAt: at(3) });
    expect(good.outputs).toHaveLength(1);
    const fields = await gql(
      `query($id: ID!) { node(id: $id) { ... on DatasetVersion { fields { name inputFields { field { name datasetVersion { dataset { name } } } } } } } }`,
      { id: good.outputs[0].id },
    );
    expect(fields.node.fields).toEqual([
      { name: "id", inputFields: [{ field: { name: "id", datasetVersion: { dataset: { name: "cl.in" } } } }] },
    ]);
    // Column lineage goes through its service's own audit entries, in the same chain as the batch's.
    expect(await verifyChain()).toMatchObject({ ok: true, brokenLink: null });
  });

  it("registers column lineage sent on a START when a later COMPLETE without it completes the run", async () => {
    const namespace = `column-late-${randomUUID()}`;
    const source = { namespace, name: "late.in", facets: schemaFacet([["id", "int"]]) };
    const runId = randomUUID();
    const output = {
      namespace,
      name: "late.out",
      facets: { ...schemaFacet([["key", "int"]]), ...columnLineageFacet({ key: [{ namespace, name: "late.in", field: "id" }] }) },
    };
    const start = await post(
      runEvent({ eventType: "START", runId, eventTime: at(1), namespace, inputs: [source], outputs: [output] }),
    );
    expect(start.status).toBe(201);
    // No columnLineage facet in this event: the lineage comes from the START, merged in.
    const complete = await post(
      runEvent({
        eventType: "COMPLETE",
        runId,
        eventTime: at(2),
        namespace,
        inputs: [source],
        outputs: [{ namespace, name: "late.out" }],
      }),
    );
    expect(complete.status, JSON.stringify(complete.body)).toBe(201);
    expect(complete.body.outputVersions).toHaveLength(1);
    const fields = await gql(
      `query($id: ID!) { node(id: $id) { ... on DatasetVersion { fields { name inputFields { field { name datasetVersion { dataset { name } } } } } } } }`,
      { id: complete.body.outputVersions[0] },
    );
    expect(fields.node.fields).toEqual([
      { name: "key", inputFields: [{ field: { name: "id", datasetVersion: { dataset: { name: "late.in" } } } }] },
    ]);
  });

  it("writes one output version per completed run, created at its end, whichever event carries the output's facets and arrives last", async () => {
    // Airflow-like: the schema comes with the START, the COMPLETE names no outputs or only their statistics.
    const scenario = (namespace: string, runId: string) => {
      const table = { namespace, name: "late.table" };
      return {
        start: runEvent({
          eventType: "START",
          runId,
          eventTime: at(1),
          namespace,
          job: "late.writer",
          outputs: [
            {
              ...table,
              facets: schemaFacet([
                ["id", "int"],
                ["total", "double"],
              ]),
            },
          ],
        }),
        complete: runEvent({
          eventType: "COMPLETE",
          runId,
          eventTime: at(9),
          namespace,
          job: "late.writer",
          outputs: [{ ...table, outputFacets: outputStatistics(5) }],
        }),
      };
    };
    const outputsOf = async (runId: string) =>
      (
        await gql(
          `query($externalId: String!) { run(externalId: $externalId) { outputs { version createdAt rowCount schema { name } } } }`,
          { externalId: runId },
        )
      ).run.outputs;

    const inOrderRun = randomUUID();
    const inOrder = scenario(`late-in-order-${randomUUID()}`, inOrderRun);
    expect((await post(inOrder.start)).status).toBe(201);
    expect((await post(inOrder.complete)).status).toBe(201);
    const expected = [{ version: 1, createdAt: at(9), rowCount: 5, schema: [{ name: "id" }, { name: "total" }] }];
    expect(await outputsOf(inOrderRun)).toEqual(expected);

    const reversedRun = randomUUID();
    const reversed = scenario(`late-reversed-${randomUUID()}`, reversedRun);
    const response = await post([reversed.complete, reversed.start]);
    expect(response.body.results.map((result: any) => result.status)).toEqual([201, 201]);
    expect(await outputsOf(reversedRun)).toEqual(expected);
  });

  it("gives a job the description of its latest documentation facet, whatever order the events arrive in", async () => {
    const namespace = `documented-${randomUUID()}`;
    const runId = randomUUID();
    const documentation = (description: string) => ({ documentation: { ...baseFacet("DocumentationJobFacet"), description } });
    const event = (eventType: string, minute: number, description: string) =>
      runEvent({ eventType, runId, eventTime: at(minute), namespace, job: "documented", jobFacets: documentation(description) });
    const response = await post([event("COMPLETE", 9, "newer"), event("START", 1, "older")]);
    expect(response.body.results.map((result: any) => result.status)).toEqual([201, 201]);
    const { job } = await gql(
      `query($namespace: String!) { job(namespace: $namespace, name: "documented") { description openLineageFacets } }`,
      { namespace },
    );
    expect(job.openLineageFacets.documentation.description).toBe("newer");
    expect(job.description).toBe("newer");
  });

  it("merges ~40 concurrent single-event requests for 8 runs, in any order, into 8 completed runs and a valid audit chain", async () => {
    const namespace = `concurrent-${randomUUID()}`;
    const raw = { namespace, name: "conc.raw" };
    const setup = await post(datasetEvent(at(0), raw, schemaFacet([["id", "int"]])));
    expect(setup.status).toBe(201);
    const rawVersionId = setup.body.outputVersions[0];
    // A newer version the runs did not read.
    expect(
      (
        await post(
          datasetEvent(
            at(500),
            raw,
            schemaFacet([
              ["id", "int"],
              ["v", "int"],
            ]),
          ),
        )
      ).status,
    ).toBe(201);

    const runs = Array.from({ length: 8 }, (_, index) => ({ runId: randomUUID(), index, base: 10 + index * 10 }));
    const requests: Array<{ runId: string; kind: string; event: ReturnType<typeof runEvent> }> = [];
    for (const { runId, index, base } of runs) {
      const output = { namespace, name: `conc.out-${index}`, facets: schemaFacet([["id", "int"]]) };
      const job = `conc.job-${index % 3}`;
      const start = runEvent({
        eventType: "START",
        runId,
        eventTime: at(base),
        namespace,
        job,
        inputs: [raw],
        outputs: [output],
      });
      requests.push(
        { runId, kind: "START", event: start },
        { runId, kind: "START-again", event: start },
        { runId, kind: "RUNNING", event: runEvent({ eventType: "RUNNING", runId, eventTime: at(base + 1), namespace, job }) },
        { runId, kind: "RUNNING", event: runEvent({ eventType: "RUNNING", runId, eventTime: at(base + 2), namespace, job }) },
        {
          runId,
          kind: "COMPLETE",
          event: runEvent({
            eventType: "COMPLETE",
            runId,
            eventTime: at(base + 5),
            namespace,
            job,
            inputs: [raw],
            outputs: [{ ...output, outputFacets: outputStatistics(index + 1) }],
          }),
        },
      );
    }
    expect(requests).toHaveLength(40);
    const order = shuffled(requests, 20261201);
    const before = await app.countRows(OPENLINEAGE_WRITE_TABLES);
    const responses = await Promise.all(order.map((request) => post(request.event)));
    for (const [position, response] of responses.entries()) {
      expect([200, 201], `${order[position]!.kind} of ${order[position]!.runId}: ${JSON.stringify(response.body)}`).toContain(
        response.status,
      );
    }
    for (const { runId } of runs) {
      const starts = order.flatMap((request, position) =>
        request.runId === runId && request.kind.startsWith("START") ? [responses[position]!] : [],
      );
      expect(starts.map((response) => response.status).sort()).toEqual([200, 201]);
      expect(starts[0]!.body.eventId).toBe(starts[1]!.body.eventId);
    }
    const after = await app.countRows(OPENLINEAGE_WRITE_TABLES);
    expect(after.openlineage_event).toBe(before.openlineage_event! + 32);
    expect(after.run).toBe(before.run! + 8);
    expect(after.job).toBe(before.job! + 3);
    expect(after.dataset_version).toBe(before.dataset_version! + 8);

    for (const { runId, index, base } of runs) {
      const run = await runOf(runId);
      expect(run, runId).toMatchObject({ status: "COMPLETED", startedAt: at(base), endedAt: at(base + 5) });
      expect(run.inputs.map((input: any) => input.datasetVersion.id)).toEqual([rawVersionId]);
      expect(run.outputs).toEqual([
        expect.objectContaining({
          version: 1,
          rowCount: index + 1,
          producedBy: { externalId: runId },
          dataset: { name: `conc.out-${index}` },
        }),
      ]);
      expect(run.openLineageEvents).toHaveLength(4);
    }
    expect(await verifyChain()).toMatchObject({ ok: true, brokenLink: null });
  });

  it("records the audit of an array under the EDITOR's name and role, in a chain that verifies", async () => {
    const namespace = `audit-${randomUUID()}`;
    expect((await post(datasetEvent(at(0), { namespace, name: "audit.in" }, schemaFacet([["id", "int"]])))).status).toBe(201);
    const editor = await app.tokenFor("EDITOR", namespace);
    const email = (await gql(`{ me { email } }`, {}, editor.headers)).me.email as string;
    const runId = randomUUID();
    const outputs = [{ namespace, name: "audit.out", facets: schemaFacet([["id", "int"]]) }];
    const inputs = [{ namespace, name: "audit.in" }];
    const response = await post(
      [
        runEvent({ eventType: "START", runId, eventTime: at(1), namespace, job: "audit.job", inputs, outputs }),
        runEvent({ eventType: "COMPLETE", runId, eventTime: at(2), namespace, job: "audit.job", inputs, outputs }),
      ],
      editor.headers,
    );
    expect(response.status).toBe(207);
    expect(response.body.results.map((result: any) => result.status)).toEqual([201, 201]);
    const runNodeId = response.body.results[0].run.id;

    const audit = await gql(
      `query($id: ID!) { auditEvents(first: 50, filter: { targetId: $id }) { edges { node { actor action targetId } } } }`,
      { id: runNodeId },
    );
    const events = audit.auditEvents.edges.map((edge: any) => edge.node);
    expect(events.map((event: any) => event.action).sort()).toEqual([
      "openlineage_event.received",
      "openlineage_event.received",
      "run.completed",
      "run.started",
    ]);
    for (const event of events) expect(event).toMatchObject({ actor: email, targetId: runNodeId });

    // The role is not in the GraphQL type: read from the table. Every change of the array is the editor's.
    const { rows } = await app.db.pool.query<{ role: string | null; action: string }>(
      "SELECT DISTINCT role, action FROM audit_event WHERE actor = $1 ORDER BY action",
      [email],
    );
    expect(rows.map((row) => row.action)).toEqual(
      expect.arrayContaining(["dataset_version.registered", "job.registered", "openlineage_event.received", "run.started"]),
    );
    expect(new Set(rows.map((row) => row.role))).toEqual(new Set(["EDITOR"]));
    expect(await verifyChain()).toMatchObject({ ok: true, brokenLink: null });
  });

  it("reads the version current at each event's time, counting versions created earlier in the same array", async () => {
    const namespace = `current-${randomUUID()}`;
    const table = { namespace, name: "t" };
    const seeded = await post(datasetEvent(at(0), table, schemaFacet([["id", "int"]])));
    expect(seeded.status).toBe(201);
    const v0 = seeded.body.outputVersions[0];
    const runA = randomUUID();
    const events = [
      runEvent({ eventType: "START", runId: runA, eventTime: at(4), namespace, job: "writer" }),
      runEvent({
        eventType: "COMPLETE",
        runId: runA,
        eventTime: at(5),
        namespace,
        job: "writer",
        outputs: [{ ...table, facets: schemaFacet([["id", "int"]]) }],
      }),
      runEvent({ eventType: "START", eventTime: at(7), namespace, job: "reader.b", inputs: [table] }),
      runEvent({ eventType: "START", eventTime: at(3), namespace, job: "reader.c", inputs: [table] }),
      runEvent({ eventType: "START", eventTime: at(5), namespace, job: "reader.d", inputs: [table] }),
    ];
    const response = await post(events);
    expect(response.status).toBe(207);
    expect(response.body.results.map((result: any) => result.status)).toEqual([201, 201, 201, 201, 201]);
    const [aVersion] = response.body.results[1].outputVersions;
    expect(aVersion).toBeDefined();
    expect(aVersion).not.toBe(v0);
    const [, , b, c, d] = response.body.results;
    // B (t=7) after A wrote T (t=5): A's version. C (t=3) before: the version before A's. D (t=5): A's (at or before).
    expect(b.inputVersions).toEqual([aVersion]);
    expect(c.inputVersions).toEqual([v0]);
    expect(d.inputVersions).toEqual([aVersion]);

    const versions = await gql(
      `query($id: ID!) { node(id: $id) { ... on DatasetVersion { version producedBy { externalId } consumedBy { job { name } } } } }`,
      { id: aVersion },
    );
    expect(versions.node).toMatchObject({ version: 2, producedBy: { externalId: runA } });
    expect(versions.node.consumedBy.map((run: any) => run.job.name).sort()).toEqual(["reader.b", "reader.d"]);
    const older = await gql(`query($id: ID!) { node(id: $id) { ... on DatasetVersion { consumedBy { job { name } } } } }`, {
      id: v0,
    });
    expect(older.node.consumedBy.map((run: any) => run.job.name)).toEqual(["reader.c"]);
  });

  it("records a read from before a dataset's first stored version as that observed version, not a second one", async () => {
    const namespace = `observed-${randomUUID()}`;
    const table = { namespace, name: "raw.events", facets: schemaFacet([["id", "int"]]) };
    const first = await post(runEvent({ eventType: "START", eventTime: at(30), namespace, job: "late.reader", inputs: [table] }));
    expect(first.status).toBe(201);
    const [observed] = first.body.inputVersions;
    // Older runs of other arrays read the table before t=30: the same observed version, whichever array they come in.
    const early = [10, 20].map((minute) =>
      runEvent({ eventType: "START", eventTime: at(minute), namespace, job: `early.reader.${minute}`, inputs: [table] }),
    );
    const changed = runEvent({
      eventType: "START",
      eventTime: at(15),
      namespace,
      job: "early.reader.other.schema",
      inputs: [{ ...table, facets: schemaFacet([["id", "bigint"]]) }],
    });
    const response = await post([...early, changed]);
    expect(response.status).toBe(207);
    expect(response.body.results.map((result: any) => result.status)).toEqual([201, 201, 201]);
    expect(response.body.results[0].inputVersions).toEqual([observed]);
    expect(response.body.results[1].inputVersions).toEqual([observed]);
    // Another schema read at a time with no stored version is another observed version.
    const [other] = response.body.results[2].inputVersions;
    expect(other).not.toBe(observed);
    const stored = await gql(
      `query($namespace: String!) { dataset(namespace: $namespace, name: "raw.events") { versions(first: 5) { edges { node { id } } } } }`,
      { namespace },
    );
    expect(stored.dataset.versions.edges.map((edge: any) => edge.node.id).sort()).toEqual([observed, other].sort());
  });

  it("authorizes each event of an array on its own namespaces: the other team's event fails alone and writes nothing", async () => {
    const shared = { namespace: "team-b", name: "shared" };
    expect((await post(datasetEvent(at(0), shared, schemaFacet([["id", "int"]])))).status).toBe(201);
    expect((await post(runEvent({ eventType: "START", eventTime: at(0), namespace: "team-a", job: "seed" }))).status).toBe(201);
    const teamA = await app.tokenFor("EDITOR", "team-a");
    const ownRun = randomUUID();
    const foreignRun = randomUUID();
    const before = await app.countRows(OPENLINEAGE_WRITE_TABLES);
    const response = await post(
      [
        runEvent({
          eventType: "START",
          runId: ownRun,
          eventTime: at(1),
          namespace: "team-a",
          job: "a.own",
          outputs: [{ namespace: "team-a", name: "a.out" }],
        }),
        runEvent({
          eventType: "START",
          runId: foreignRun,
          eventTime: at(2),
          namespace: "team-a",
          job: "a.foreign",
          inputs: [shared],
          outputs: [{ namespace: "team-a", name: "a.foreign.out" }],
        }),
      ],
      teamA.headers,
    );
    expect(response.status).toBe(207);
    expect(response.body.results[0].status).toBe(201);
    expect([403, 404]).toContain(response.body.results[1].status);
    expect(["FORBIDDEN", "NOT_FOUND"]).toContain(response.body.results[1].errors[0].extensions.code);
    expect(response.body.summary).toEqual({ received: 2, created: 1, duplicate: 0, failed: 1 });

    const after = await app.countRows(OPENLINEAGE_WRITE_TABLES);
    expect(after.openlineage_event).toBe(before.openlineage_event! + 1);
    expect(after.run).toBe(before.run! + 1);
    expect(after.job).toBe(before.job! + 1);
    expect(after.dataset).toBe(before.dataset! + 1);
    expect(after.dataset_version).toBe(before.dataset_version!);
    expect(await runOf(foreignRun)).toBeNull();
    const lookups = await gql(`{
      job: job(namespace: "team-a", name: "a.foreign") { id }
      output: dataset(namespace: "team-a", name: "a.foreign.out") { id }
      shared: dataset(namespace: "team-b", name: "shared") { id }
    }`);
    expect(lookups.job).toBeNull();
    expect(lookups.output).toBeNull();
    const versions = await gql(
      `query($id: ID!) { datasetVersions(first: 10, filter: { datasetId: $id }) { edges { node { version consumedBy { id } } } } }`,
      { id: lookups.shared.id },
    );
    expect(versions.datasetVersions.edges).toEqual([{ node: { version: 1, consumedBy: [] } }]);
    expect(await runOf(ownRun)).toMatchObject({ status: "RUNNING", job: { name: "a.own", namespace: { name: "team-a" } } });
  });
});
