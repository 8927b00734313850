import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestApp, startTestApp } from "../testing/test-app.js";
import { baseFacet, postLineage, runEvent, schemaFacet } from "./openlineage-testing.js";

const WRITE_TABLES = [
  "openlineage_event",
  "openlineage_facet",
  "namespace",
  "job",
  "run",
  "dataset",
  "dataset_version",
  "lineage_edge",
  "graph_outbox",
];
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
    const before = await app.countRows(WRITE_TABLES);
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
    const after = await app.countRows(WRITE_TABLES);
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
    const before = await app.countRows(WRITE_TABLES);
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
    const malformed = await postLineage(app, null, { raw: '{"eventTime": ', headers: editor });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors[0].message).toMatch(/not valid JSON: .+/);
    expect(await app.countRows(WRITE_TABLES)).toEqual(before);
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
    const before = await app.countRows(WRITE_TABLES);
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
    expect(await app.countRows(WRITE_TABLES)).toEqual(before);
    const own = runEvent({ eventType: "START", eventTime: at(9), namespace: "team-a" });
    expect((await postLineage(app, own, { headers: teamA.headers })).status).toBe(201);
    expect((await postLineage(app, fresh, { headers: editor })).status).toBe(201);
  });
});
