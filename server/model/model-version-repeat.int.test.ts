import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestApp, startTestApp } from "../testing/test-app.js";
import { REGISTER_VERSION, SIDE_TABLES, UNKNOWN, nodeId, sha, versionInput } from "./model.fixtures.js";

const keyOf = (id: string) => Buffer.from(id, "base64url").toString("utf8").split(":")[1]!;

describe("repeat registrations of a model version", () => {
  let app: TestApp;
  let writer: string;
  let other: string;
  beforeAll(async () => {
    app = await startTestApp();
    const startRun = async () => {
      const run = await app.graphql(`mutation { startRun(input: { namespace: "ml", job: "train-ranker" }) { run { id } } }`);
      expect(run.errors).toBeUndefined();
      return run.data!.startRun.run.id as string;
    };
    [writer, other] = [await startRun(), await startRun()];
  });
  afterAll(async () => {
    await app?.close();
  });

  it("refuses the same artifact from another URI or an unknown run and writes nothing", async () => {
    const input = versionInput({ model: "repeat-uri", artifactUri: "s3://models/a.onnx", artifactSha256: sha(900) });
    const first = await app.graphql(REGISTER_VERSION, { input });
    expect(first.errors).toBeUndefined();
    const before = await app.countRows(SIDE_TABLES);
    const moved = await app.graphql(REGISTER_VERSION, { input: { ...input, artifactUri: "s3://models/b.onnx" } });
    expect(moved.data).toBeNull();
    expect(moved.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", field: "input.artifactUri" });
    expect(moved.errors?.[0]?.message).toBe(
      'Model "ml/repeat-uri" version 1 has this artifact SHA-256 and is stored at artifactUri "s3://models/a.onnx", ' +
        'not "s3://models/b.onnx"; a version is immutable.',
    );
    const unknownRun = await app.graphql(REGISTER_VERSION, { input: { ...input, sourceRunId: nodeId("Run", UNKNOWN) } });
    expect(unknownRun.errors?.[0]?.extensions).toMatchObject({ code: "NOT_FOUND", field: "input.sourceRunId" });
    expect(await app.countRows(SIDE_TABLES)).toEqual(before);
  });

  it("adds a source run the version lacked, and refuses another one", async () => {
    const input = versionInput({ model: "repeat-run", artifactSha256: sha(910) });
    const first = await app.graphql(REGISTER_VERSION, { input });
    const id = first.data!.registerModelVersion.modelVersion.id;
    expect(first.data!.registerModelVersion.modelVersion.sourceRun).toBeNull();

    const before = await app.countRows(SIDE_TABLES);
    const added = await app.graphql(REGISTER_VERSION, { input: { ...input, sourceRunId: writer } });
    expect(added.errors).toBeUndefined();
    expect(added.data!.registerModelVersion).toMatchObject({
      created: false,
      modelVersion: { id, version: 1, sourceRun: { id: writer } },
    });
    const after = await app.countRows(SIDE_TABLES);
    expect(after).toEqual({
      ...before,
      lineage_edge: before.lineage_edge! + 1,
      audit_event: before.audit_event! + 1,
      graph_outbox: before.graph_outbox! + 1,
    });
    const edges = await app.db.pool.query(
      "SELECT upstream_id::text AS upstream, kind, valid_to FROM lineage_edge WHERE downstream_id = $1::uuid",
      [keyOf(id)],
    );
    expect(edges.rows).toEqual([{ upstream: keyOf(writer), kind: "PRODUCED", valid_to: null }]);
    const audit = await app.db.pool.query(
      "SELECT action, before->>'sourceRunId' AS b, after->>'sourceRunId' AS a FROM audit_event ORDER BY id DESC LIMIT 1",
    );
    expect(audit.rows[0]).toEqual({ action: "model_version.source_run_added", b: null, a: keyOf(writer) });

    const same = await app.graphql(REGISTER_VERSION, { input: { ...input, sourceRunId: writer } });
    expect(same.data!.registerModelVersion).toMatchObject({ created: false, modelVersion: { id, sourceRun: { id: writer } } });
    const conflict = await app.graphql(REGISTER_VERSION, { input: { ...input, sourceRunId: other } });
    expect(conflict.data).toBeNull();
    expect(conflict.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", field: "input.sourceRunId" });
    expect(conflict.errors?.[0]?.message).toBe(
      `Model "ml/repeat-run" version 1 was produced by run "${writer}", not "${other}".`,
    );
    expect(await app.countRows(SIDE_TABLES)).toEqual(after);
  });
});
