import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestApp, startTestApp } from "../testing/test-app.js";

const REGISTER_VERSION = `
  mutation Register($input: RegisterDatasetVersionInput!) {
    registerDatasetVersion(input: $input) {
      created
      datasetVersion { id version digest uri format rowCount schema { name type } dataset { id name namespace { name } } }
    }
  }`;

const digest = (n: number) => `sha256:${n.toString(16).padStart(64, "0")}`;

function versionInput(overrides: Record<string, unknown> = {}) {
  return {
    namespace: "ml",
    dataset: "churn/events",
    uri: "s3://lake/churn/events/2026-11-01",
    format: "PARQUET",
    digest: digest(1),
    rowCount: 1_204_332,
    schema: [
      { name: "user_id", type: "int64" },
      { name: "event", type: "string" },
    ],
    ...overrides,
  };
}

const SIDE_TABLES = ["namespace", "dataset", "dataset_version", "lineage_edge", "audit_event", "graph_outbox"];

describe("datasets and versions", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it("registers a version, creating namespace and dataset, with audit and outbox rows", async () => {
    const before = await app.countRows(SIDE_TABLES);
    const result = await app.graphql(REGISTER_VERSION, { input: versionInput() });
    expect(result.errors).toBeUndefined();
    const payload = result.data!.registerDatasetVersion;
    expect(payload.created).toBe(true);
    expect(payload.datasetVersion).toMatchObject({
      version: 1,
      digest: digest(1),
      format: "PARQUET",
      rowCount: 1_204_332,
      schema: [
        { name: "user_id", type: "int64" },
        { name: "event", type: "string" },
      ],
      dataset: { name: "churn/events", namespace: { name: "ml" } },
    });
    const after = await app.countRows(SIDE_TABLES);
    expect(after.dataset_version).toBe(before.dataset_version! + 1);
    // namespace, dataset and version each get an audit event and an outbox row
    expect(after.audit_event).toBe(before.audit_event! + 3);
    expect(after.graph_outbox).toBe(before.graph_outbox! + 3);
    const { rows } = await app.db.pool.query(
      "SELECT action, actor, request_id FROM audit_event WHERE target_type = 'DatasetVersion' ORDER BY id DESC LIMIT 1",
    );
    expect(rows[0]).toMatchObject({ action: "dataset_version.registered", actor: "anonymous" });
    expect(rows[0].request_id).toBeTruthy();
  });

  it("is idempotent on namespace + dataset + digest", async () => {
    const first = await app.graphql(REGISTER_VERSION, { input: versionInput({ digest: digest(2) }) });
    const before = await app.countRows(SIDE_TABLES);
    const second = await app.graphql(REGISTER_VERSION, { input: versionInput({ digest: digest(2) }) });
    expect(second.data!.registerDatasetVersion.created).toBe(false);
    expect(second.data!.registerDatasetVersion.datasetVersion.id).toBe(first.data!.registerDatasetVersion.datasetVersion.id);
    expect(await app.countRows(SIDE_TABLES)).toEqual(before);
  });

  it("gives concurrent registrations of one digest one version, and of many digests distinct numbers", async () => {
    const same = await Promise.all(
      Array.from({ length: 8 }, () =>
        app.graphql(REGISTER_VERSION, { input: versionInput({ dataset: "race/same", digest: digest(7) }) }),
      ),
    );
    expect(same.every((r) => r.errors === undefined)).toBe(true);
    expect(new Set(same.map((r) => r.data!.registerDatasetVersion.datasetVersion.id)).size).toBe(1);
    expect(same.filter((r) => r.data!.registerDatasetVersion.created)).toHaveLength(1);

    const many = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        app.graphql(REGISTER_VERSION, { input: versionInput({ dataset: "race/many", digest: digest(100 + i) }) }),
      ),
    );
    expect(many.map((r) => r.errors)).toEqual(many.map(() => undefined));
    const versions = many.map((r) => r.data!.registerDatasetVersion.datasetVersion.version).sort((a: number, b: number) => a - b);
    expect(versions).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("records a consistent before/after chain for concurrent updates of one dataset", async () => {
    const registered = await app.graphql(
      `mutation { registerDataset(input: { namespace: "ml", name: "race/update", description: "d0" }) { dataset { id } } }`,
    );
    const id = registered.data!.registerDataset.dataset.id;
    const update = `mutation($input: UpdateDatasetInput!) { updateDataset(input: $input) { description } }`;
    const descriptions = Array.from({ length: 12 }, (_, i) => `d${i + 1}`);
    const results = await Promise.all(descriptions.map((description) => app.graphql(update, { input: { id, description } })));
    expect(results.map((r) => r.errors)).toEqual(results.map(() => undefined));
    const { rows } = await app.db.pool.query(
      `SELECT before->>'description' AS b, after->>'description' AS a FROM audit_event
        WHERE action = 'dataset.updated' AND target_id = $1 ORDER BY id`,
      [Buffer.from(id, "base64url").toString("utf8").split(":")[1]],
    );
    expect(rows).toHaveLength(12);
    // Each update saw the description the previous one left: no two record the same `before`.
    expect(rows.map((row) => row.b)).toEqual(["d0", ...rows.slice(0, -1).map((row) => row.a)]);
    expect(rows.map((row) => row.a).sort()).toEqual([...descriptions].sort());
    const read = await app.graphql(`{ dataset(namespace: "ml", name: "race/update") { description } }`);
    expect(read.data!.dataset.description).toBe(rows[11].a);
  });

  it("refuses a repeat registration that disagrees with the stored version and writes nothing", async () => {
    const first = await app.graphql(REGISTER_VERSION, {
      input: versionInput({ dataset: "repeat/conflict", uri: "s3://lake/a", digest: digest(400) }),
    });
    const version = first.data!.registerDatasetVersion.datasetVersion.version;
    const before = await app.countRows(SIDE_TABLES);
    const otherUri = await app.graphql(REGISTER_VERSION, {
      input: versionInput({ dataset: "repeat/conflict", uri: "s3://lake/b", digest: digest(400) }),
    });
    expect(otherUri.data).toBeNull();
    expect(otherUri.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", field: "input.uri" });
    expect(otherUri.errors?.[0]?.message).toBe(
      `Dataset "ml/repeat/conflict" version ${version} has this digest and is stored with uri "s3://lake/a", not "s3://lake/b"; a version is immutable.`,
    );
    const otherFormat = await app.graphql(REGISTER_VERSION, {
      input: versionInput({ dataset: "repeat/conflict", uri: "s3://lake/a", digest: digest(400), format: "CSV" }),
    });
    expect(otherFormat.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", field: "input.format" });
    expect(otherFormat.errors?.[0]?.message).toMatch(/stored with format "PARQUET", not "CSV"/);
    const unknownRun = await app.graphql(REGISTER_VERSION, {
      input: versionInput({
        dataset: "repeat/conflict",
        uri: "s3://lake/a",
        digest: digest(400),
        producedByRunId: Buffer.from("Run:00000000-0000-4000-8000-000000000002").toString("base64url"),
      }),
    });
    expect(unknownRun.errors?.[0]?.extensions).toMatchObject({ code: "NOT_FOUND", field: "input.producedByRunId" });
    expect(await app.countRows(SIDE_TABLES)).toEqual(before);
  });

  it("adds a producer the version lacked on a repeat registration, and refuses another one", async () => {
    const startRun = async () =>
      (await app.graphql(`mutation { startRun(input: { namespace: "ml", job: "writer" }) { run { id } } }`)).data!.startRun.run
        .id as string;
    const [writer, other] = [await startRun(), await startRun()];
    const input = versionInput({ dataset: "repeat/producer", uri: "s3://lake/p", digest: digest(410) });
    const first = await app.graphql(REGISTER_VERSION, { input });
    const id = first.data!.registerDatasetVersion.datasetVersion.id;
    const producer = `query($id: ID!) { node(id: $id) { ... on DatasetVersion { producedBy { id } } } }`;
    expect((await app.graphql(producer, { id })).data!.node.producedBy).toBeNull();

    const before = await app.countRows(SIDE_TABLES);
    const added = await app.graphql(REGISTER_VERSION, { input: { ...input, producedByRunId: writer } });
    expect(added.errors).toBeUndefined();
    expect(added.data!.registerDatasetVersion).toMatchObject({ created: false, datasetVersion: { id, version: 1 } });
    expect((await app.graphql(producer, { id })).data!.node.producedBy).toEqual({ id: writer });
    const after = await app.countRows(SIDE_TABLES);
    expect(after).toEqual({
      ...before,
      lineage_edge: before.lineage_edge! + 1,
      audit_event: before.audit_event! + 1,
      graph_outbox: before.graph_outbox! + 1,
    });
    const { rows } = await app.db.pool.query(
      "SELECT action, before->>'producedByRunId' AS b, after->>'producedByRunId' AS a FROM audit_event ORDER BY id DESC LIMIT 1",
    );
    expect(rows[0]).toEqual({
      action: "dataset_version.producer_added",
      b: null,
      a: Buffer.from(writer, "base64url").toString().split(":")[1],
    });

    const same = await app.graphql(REGISTER_VERSION, { input: { ...input, producedByRunId: writer } });
    expect(same.data!.registerDatasetVersion).toMatchObject({ created: false, datasetVersion: { id } });
    const conflict = await app.graphql(REGISTER_VERSION, { input: { ...input, producedByRunId: other } });
    expect(conflict.data).toBeNull();
    expect(conflict.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", field: "input.producedByRunId" });
    expect(conflict.errors?.[0]?.message).toBe(
      `Dataset "ml/repeat/producer" version 1 was produced by run "${writer}", not "${other}".`,
    );
    expect(await app.countRows(SIDE_TABLES)).toEqual(after);
  });

  it.each([
    ["uri", { uri: "not a uri" }, "input.uri"],
    ["digest", { digest: "abc" }, "input.digest"],
    ["dataset name", { dataset: "x".repeat(300) }, "input.dataset"],
    ["schema field", { schema: [{ name: "ok", type: "" }] }, "input.schema[0].type"],
    ["row count", { rowCount: -1 }, "input.rowCount"],
  ])("rejects a bad %s with BAD_USER_INPUT naming the field and writes nothing", async (_label, overrides, field) => {
    const before = await app.countRows(SIDE_TABLES);
    const result = await app.graphql(REGISTER_VERSION, {
      input: versionInput({ dataset: "bad/input", digest: digest(999), ...overrides }),
    });
    expect(result.data).toBeNull();
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field });
    expect(result.errors?.[0]?.message).toContain(`"${field}"`);
    expect(JSON.stringify(result.errors)).not.toMatch(/prisma|SELECT|INSERT|at .*\.ts/i);
    expect(await app.countRows(SIDE_TABLES)).toEqual(before);
  });

  it("rejects an unknown producing run with NOT_FOUND and rolls back the new namespace and dataset", async () => {
    const before = await app.countRows(SIDE_TABLES);
    const runId = Buffer.from("Run:00000000-0000-4000-8000-000000000001").toString("base64url");
    const result = await app.graphql(REGISTER_VERSION, {
      input: versionInput({ namespace: "brand-new", dataset: "d", digest: digest(5), producedByRunId: runId }),
    });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: "NOT_FOUND", field: "input.producedByRunId" });
    expect(await app.countRows(SIDE_TABLES)).toEqual(before);
  });

  it("rejects an id of the wrong kind", async () => {
    const result = await app.graphql(REGISTER_VERSION, {
      input: versionInput({
        digest: digest(6),
        producedByRunId: Buffer.from("Dataset:00000000-0000-4000-8000-000000000001").toString("base64url"),
      }),
    });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.producedByRunId" });
    expect(result.errors?.[0]?.message).toMatch(/must be the id of a Run/);
  });

  it("pages datasets and versions with cursors, filters and ordering", async () => {
    for (let i = 0; i < 5; i += 1) {
      await app.graphql(REGISTER_VERSION, {
        input: versionInput({ namespace: "paging", dataset: `d${i}`, digest: digest(200 + i) }),
      });
    }
    const query = `query($after: String) {
      datasets(first: 2, after: $after, filter: { namespace: "paging" }, orderBy: { field: NAME, direction: DESC }) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { name versions { edges { node { version } } } } }
      }
    }`;
    const names: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page += 1) {
      const result: any = await app.graphql(query, { after });
      expect(result.errors).toBeUndefined();
      const connection = result.data.datasets;
      expect(connection.totalCount).toBe(5);
      names.push(...connection.edges.map((edge: any) => edge.node.name));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(names).toEqual(["d4", "d3", "d2", "d1", "d0"]);

    const byDigest = await app.graphql(
      `{ datasetVersions(filter: { digest: "${digest(203)}" }) { edges { node { dataset { name } } } } }`,
    );
    expect(byDigest.data!.datasetVersions.edges).toEqual([{ node: { dataset: { name: "d3" } } }]);

    const badCursor = await app.graphql(`{ datasets(after: "garbage") { totalCount } }`);
    expect(badCursor.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "after" });
    const tooMany = await app.graphql(`{ datasets(first: 1000) { totalCount } }`);
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "first" });
  });

  it("finds versions through node(id)", async () => {
    const created = await app.graphql(REGISTER_VERSION, { input: versionInput({ digest: digest(300) }) });
    const id = created.data!.registerDatasetVersion.datasetVersion.id;
    const result = await app.graphql(`query($id: ID!) { node(id: $id) { id ... on DatasetVersion { digest } } }`, { id });
    expect(result.data!.node).toEqual({ id, digest: digest(300) });
  });
});
