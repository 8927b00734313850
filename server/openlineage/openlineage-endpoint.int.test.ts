import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestApp, startTestApp } from "../testing/test-app.js";
import { OPENLINEAGE_WRITE_TABLES, PRODUCER, baseFacet, postLineage, runEvent, schemaFacet } from "./openlineage-testing.js";

const at = (minute: number) => new Date(Date.UTC(2026, 1, 1, 0, minute)).toISOString();

describe("POST /api/v1/lineage: bodies, batches and access", () => {
  let app: TestApp;
  let editor: Record<string, string>;

  beforeAll(async () => {
    app = await startTestApp({ config: { anonymousRole: null, openLineage: { maxBodyBytes: 64 * 1024, maxBatchEvents: 100 } } });
    editor = (await app.tokenFor("EDITOR")).headers;
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  it("takes gzip bodies, NDJSON and JSON arrays; a bad event in a batch fails alone", async () => {
    const good = runEvent({
      eventType: "START",
      eventTime: at(0),
      namespace: "batch",
      outputs: [{ namespace: "batch", name: "t" }],
    });
    const gz = await postLineage(app, good, { gzip: true, headers: editor });
    expect(gz.status).toBe(201);

    const bad = { ...runEvent({ eventType: "BOGUS", eventTime: at(1), namespace: "batch" }), run: {} };
    const other = runEvent({ eventType: "COMPLETE", eventTime: at(2), namespace: "batch" });
    const before = await app.countRows(OPENLINEAGE_WRITE_TABLES);
    const batch = await postLineage(app, [good, bad, other], { headers: editor });
    expect(batch.status).toBe(207);
    expect(batch.body.summary).toEqual({ received: 3, created: 1, duplicate: 1, failed: 1 });
    expect(batch.body.results.map((result: any) => result.status)).toEqual([200, 400, 201]);
    const problems = batch.body.results[1].errors[0].extensions.problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: "$.eventType", message: expect.stringMatching(/one of START/) },
        { path: "$.run.runId", message: "is required." },
      ]),
    );
    const after = await app.countRows(OPENLINEAGE_WRITE_TABLES);
    expect(after.openlineage_event).toBe(before.openlineage_event! + 1);
    expect(after.run).toBe(before.run! + 1);

    const ndjson = [
      JSON.stringify(runEvent({ eventType: "START", eventTime: at(3), namespace: "batch" })),
      "{ not json",
      "",
      JSON.stringify(runEvent({ eventType: "OTHER", eventTime: at(4), namespace: "batch" })),
    ].join("\n");
    const lines = await postLineage(app, null, { raw: ndjson, contentType: "application/x-ndjson", gzip: true, headers: editor });
    expect(lines.status).toBe(207);
    expect(lines.body.results.map((result: any) => result.status)).toEqual([201, 400, 201]);
    expect(lines.body.results[1].errors[0].extensions.problems[0].path).toBe("line 2");
  });

  it("answers 400 with the JSON path of each problem and writes nothing", async () => {
    const before = await app.countRows(OPENLINEAGE_WRITE_TABLES);
    const event = runEvent({
      eventType: "START",
      eventTime: "yesterday",
      namespace: "invalid",
      inputs: [
        {
          namespace: "invalid",
          name: "in",
          facets: { schema: { ...baseFacet("SchemaDatasetFacet"), fields: [{ type: "int" }] } },
        },
      ],
    });
    const response = await postLineage(app, event, { headers: editor });
    expect(response.status).toBe(400);
    expect(response.body.errors[0].extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      problems: expect.arrayContaining([
        { path: "$.eventTime", message: expect.stringMatching(/date-time/) },
        { path: "$.inputs[0].facets.schema.fields[0].name", message: "is required." },
      ]),
    });
    // A run event without its runId, an eventType the spec does not know.
    const { runId: _runId, ...runWithoutId } = runEvent({
      eventType: "START",
      eventTime: new Date().toISOString(),
      namespace: "invalid",
    }).run;
    const noRunId = await postLineage(
      app,
      { ...runEvent({ eventType: "START", eventTime: new Date().toISOString(), namespace: "invalid" }), run: runWithoutId },
      { headers: editor },
    );
    expect(noRunId.status).toBe(400);
    expect(noRunId.body.errors[0].extensions.problems).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: "$.run.runId" })]),
    );
    const badType = await postLineage(
      app,
      runEvent({ eventType: "STARTED", eventTime: new Date().toISOString(), namespace: "invalid" }),
      {
        headers: editor,
      },
    );
    expect(badType.status).toBe(400);
    expect(badType.body.errors[0].extensions.problems).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: "$.eventType" })]),
    );
    const malformed = await postLineage(app, null, { raw: '{"eventTime": ', headers: editor });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors[0].message).toMatch(/not valid JSON: .+/);
    // JSON escapes can spell a lone surrogate, which is no text: not hashable, not storable.
    const loneSurrogate = JSON.stringify(
      runEvent({ eventType: "START", eventTime: new Date().toISOString(), namespace: "invalid", job: "job \u0000" }),
    ).replace("\\u0000", "\\ud800");
    const illFormed = await postLineage(app, null, { raw: loneSurrogate, headers: editor });
    expect(illFormed.status).toBe(400);
    expect(illFormed.body.errors[0].extensions.problems).toEqual([
      { path: "$.job.name", message: "is not well-formed Unicode (it holds a lone surrogate)." },
    ]);
    // NUL cannot be stored at all; it is refused for good instead of failing as "try again later".
    const errorMessage = (message: string) => ({
      errorMessage: { ...baseFacet("ErrorMessageRunFacet"), message, programmingLanguage: "python" },
    });
    const withNul = await postLineage(
      app,
      runEvent({
        eventType: "FAIL",
        eventTime: new Date().toISOString(),
        namespace: "invalid",
        runFacets: errorMessage("boom\u0000"),
      }),
      { headers: editor },
    );
    expect(withNul.status).toBe(400);
    expect(withNul.body.errors[0].extensions.problems).toEqual([
      { path: "$.run.facets.errorMessage.message", message: "holds NUL (U+0000), which cannot be stored." },
    ]);
    expect(await app.countRows(OPENLINEAGE_WRITE_TABLES)).toEqual(before);
    // Other control characters are text producers really send (a coloured stack trace): kept.
    const coloured = "\u001b[31mTraceback\u001b[0m\tline 1";
    const runId = randomUUID();
    const stored = await postLineage(
      app,
      runEvent({
        eventType: "FAIL",
        runId,
        eventTime: new Date().toISOString(),
        namespace: "invalid",
        runFacets: errorMessage(coloured),
      }),
      { headers: editor },
    );
    expect(stored.status).toBe(201);
    const run = await app.graphql(`query($id: String!) { run(externalId: $id) { status errorMessage } }`, { id: runId }, editor);
    expect(run.data).toEqual({ run: { status: "FAILED", errorMessage: coloured } });
  });

  it("answers 415 for another content type and 413 past the size limit (after gzip is undone)", async () => {
    const event = runEvent({ eventType: "START", eventTime: at(5), namespace: "limits" });
    const text = await postLineage(app, event, { contentType: "text/plain", headers: editor });
    expect(text.status).toBe(415);
    expect(text.body.errors[0].extensions.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    const huge = runEvent({
      eventType: "START",
      eventTime: at(6),
      namespace: "limits",
      jobFacets: { sql: { ...baseFacet("SQLJobFacet"), query: "x".repeat(100 * 1024) } },
    });
    const plain = await postLineage(app, huge, { headers: editor });
    expect(plain.status).toBe(413);
    const zipped = await postLineage(app, huge, { headers: editor, gzip: true });
    expect(zipped.status).toBe(413);
    expect(zipped.body.errors[0].extensions.code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("needs a token, EDITOR in every namespace the event names, and hides namespaces the caller cannot see", async () => {
    await postLineage(app, runEvent({ eventType: "START", eventTime: at(7), namespace: "team-a" }), { headers: editor });
    await postLineage(app, runEvent({ eventType: "START", eventTime: at(7), namespace: "team-b" }), { headers: editor });
    const viewer = await app.tokenFor("VIEWER");
    const teamA = await app.tokenFor("EDITOR", "team-a");
    const before = await app.countRows(OPENLINEAGE_WRITE_TABLES);
    const event = runEvent({
      eventType: "START",
      eventTime: at(8),
      namespace: "team-a",
      outputs: [{ namespace: "team-b", name: "shared", facets: schemaFacet([["a", "int"]]) }],
    });
    expect((await postLineage(app, event)).status).toBe(401);
    expect((await postLineage(app, event, { headers: viewer.headers })).status).toBe(403);
    const hidden = await postLineage(app, event, { headers: teamA.headers });
    expect(hidden.status).toBe(404);
    expect(hidden.body.errors[0].extensions.code).toBe("NOT_FOUND");
    // A namespace that does not exist yet needs a global EDITOR.
    const fresh = runEvent({ eventType: "START", eventTime: at(9), namespace: `new-${randomUUID()}` });
    expect((await postLineage(app, fresh, { headers: teamA.headers })).status).toBe(404);
    expect(await app.countRows(OPENLINEAGE_WRITE_TABLES)).toEqual(before);
    const own = runEvent({ eventType: "START", eventTime: at(9), namespace: "team-a" });
    expect((await postLineage(app, own, { headers: teamA.headers })).status).toBe(201);
    expect((await postLineage(app, fresh, { headers: editor })).status).toBe(201);
  });

  it("lets symlinks reach only datasets the sender may write, and claims only identifiers it may write", async () => {
    const symlinks = (namespace: string, name: string) => ({
      symlinks: { ...baseFacet("SymlinksDatasetFacet"), identifiers: [{ namespace, name, type: "TABLE" }] },
    });
    // A global EDITOR lands team-h's table, also known as s3://shared/orders, and creates the shared namespace.
    const landed = await postLineage(
      app,
      runEvent({
        eventType: "COMPLETE",
        eventTime: at(10),
        namespace: "team-h",
        outputs: [
          {
            namespace: "team-h",
            name: "orders",
            facets: { ...schemaFacet([["id", "int"]]), ...symlinks("s3://shared", "orders") },
          },
        ],
      }),
      { headers: editor },
    );
    expect(landed.status).toBe(201);
    const shared = runEvent({ eventType: "START", eventTime: at(10), namespace: "s3://shared" });
    expect((await postLineage(app, shared, { headers: editor })).status).toBe(201);
    const sharedEditor = await app.tokenFor("EDITOR", "s3://shared");
    const before = await app.countRows(OPENLINEAGE_WRITE_TABLES);

    // Reading s3://shared/orders would read team-h's version, which this editor cannot see.
    const reader = runEvent({
      eventType: "START",
      eventTime: at(11),
      namespace: "s3://shared",
      job: "reads.orders",
      inputs: [{ namespace: "s3://shared", name: "orders" }],
    });
    const hidden = await postLineage(app, reader, { headers: sharedEditor.headers });
    expect(hidden.status).toBe(404);
    expect(hidden.body.errors[0].extensions.code).toBe("NOT_FOUND");
    // A job event describing s3://shared/orders would write facets onto team-h's dataset.
    const describer = {
      eventTime: at(11),
      producer: PRODUCER,
      schemaURL: "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/JobEvent",
      job: { namespace: "s3://shared", name: "describes.orders" },
      inputs: [
        {
          namespace: "s3://shared",
          name: "orders",
          facets: { documentation: { ...baseFacet("DocumentationDatasetFacet"), description: "not yours" } },
        },
      ],
    };
    expect((await postLineage(app, describer, { headers: sharedEditor.headers })).status).toBe(404);
    // Claiming an identifier in team-h's namespace.
    const claim = runEvent({
      eventType: "START",
      eventTime: at(11),
      namespace: "s3://shared",
      job: "claims",
      outputs: [{ namespace: "s3://shared", name: "mine", facets: symlinks("team-h", "claimed") }],
    });
    expect((await postLineage(app, claim, { headers: sharedEditor.headers })).status).toBe(404);
    expect(await app.countRows(OPENLINEAGE_WRITE_TABLES)).toEqual(before);

    // With EDITOR in team-h too, the same read lands on team-h's version.
    const both = await app.tokenFor("EDITOR");
    const allowed = await postLineage(app, reader, { headers: both.headers });
    expect(allowed.status).toBe(201);
    expect(allowed.body.inputVersions).toEqual(landed.body.outputVersions);
  });

  it("links a parent run id known under another job to that run, without registering the job the facet names", async () => {
    const parentRunId = randomUUID();
    const parent = await postLineage(app, runEvent({ eventType: "START", runId: parentRunId, eventTime: at(12), job: "dag.a" }), {
      headers: editor,
    });
    expect(parent.status).toBe(201);
    const child = runEvent({
      eventType: "START",
      eventTime: at(13),
      job: "dag.b.task",
      runFacets: {
        parent: { ...baseFacet("ParentRunFacet"), run: { runId: parentRunId }, job: { namespace: "airflow", name: "dag.b" } },
      },
    });
    const response = await postLineage(app, child, { headers: editor });
    expect(response.status).toBe(201);
    const linked = await app.graphql(
      `query($id: ID!) { node(id: $id) { ... on Run { parent { id job { name } } } } }`,
      { id: response.body.run.id },
      editor,
    );
    expect(linked.data!.node).toEqual({ parent: { id: parent.body.run.id, job: { name: "dag.a" } } });
    const jobs = await app.graphql(`{ job(namespace: "airflow", name: "dag.b") { id } }`, {}, editor);
    expect(jobs.data!.job).toBeNull();
  });
});
