import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestApp, startTestApp } from "../testing/test-app.js";
import { REGISTER_VERSION, SIDE_TABLES, UNKNOWN, nodeId, sha, versionInput } from "./model.fixtures.js";

describe("models and versions", () => {
  let app: TestApp;
  let runId: string;
  beforeAll(async () => {
    app = await startTestApp();
    const run = await app.graphql(`mutation { startRun(input: { namespace: "ml", job: "train-churn" }) { run { id } } }`);
    expect(run.errors).toBeUndefined();
    runId = run.data!.startRun.run.id;
  });
  afterAll(async () => {
    await app?.close();
  });

  it("registers a version, creating the model, with a PRODUCED edge from its run, audit and outbox rows", async () => {
    const before = await app.countRows(SIDE_TABLES);
    const result = await app.graphql(REGISTER_VERSION, { input: versionInput({ sourceRunId: runId }) });
    expect(result.errors).toBeUndefined();
    const payload = result.data!.registerModelVersion;
    expect(payload.created).toBe(true);
    expect(payload.modelVersion).toMatchObject({
      version: 1,
      artifactSha256: sha(1),
      metrics: { auc: 0.91, logloss: 0.27 },
      signature: { outputs: [{ name: "score" }] },
      description: "first cut",
      aliases: [],
      model: { name: "churn-classifier", namespace: { name: "ml" } },
      sourceRun: { id: runId },
    });
    const after = await app.countRows(SIDE_TABLES);
    expect(after.model).toBe(before.model! + 1);
    expect(after.model_version).toBe(before.model_version! + 1);
    expect(after.lineage_edge).toBe(before.lineage_edge! + 1);
    // model and version each get an audit event and an outbox row (the namespace existed)
    expect(after.audit_event).toBe(before.audit_event! + 2);
    expect(after.graph_outbox).toBe(before.graph_outbox! + 2);
    const { rows } = await app.db.pool.query(
      "SELECT upstream_type, downstream_type, kind, valid_to FROM lineage_edge WHERE downstream_type = 'MODEL_VERSION'",
    );
    expect(rows).toEqual([{ upstream_type: "RUN", downstream_type: "MODEL_VERSION", kind: "PRODUCED", valid_to: null }]);
  });

  it("returns the same version for the same artifact and writes nothing", async () => {
    const first = await app.graphql(REGISTER_VERSION, { input: versionInput({ artifactSha256: sha(2) }) });
    const before = await app.countRows(SIDE_TABLES);
    const second = await app.graphql(REGISTER_VERSION, {
      input: versionInput({ artifactSha256: sha(2), aliases: ["champion"] }),
    });
    expect(second.data!.registerModelVersion.created).toBe(false);
    expect(second.data!.registerModelVersion.modelVersion).toMatchObject({
      id: first.data!.registerModelVersion.modelVersion.id,
      version: 2,
      aliases: [],
    });
    expect(await app.countRows(SIDE_TABLES)).toEqual(before);
  });

  it("gives concurrent registrations of one artifact one version, and of many artifacts consecutive numbers", async () => {
    const same = await Promise.all(
      Array.from({ length: 8 }, () =>
        app.graphql(REGISTER_VERSION, { input: versionInput({ model: "race/same", artifactSha256: sha(7) }) }),
      ),
    );
    expect(same.map((r) => r.errors)).toEqual(same.map(() => undefined));
    expect(new Set(same.map((r) => r.data!.registerModelVersion.modelVersion.id)).size).toBe(1);
    expect(same.filter((r) => r.data!.registerModelVersion.created)).toHaveLength(1);

    const many = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        app.graphql(REGISTER_VERSION, { input: versionInput({ model: "race/many", artifactSha256: sha(100 + i) }) }),
      ),
    );
    expect(many.map((r) => r.errors)).toEqual(many.map(() => undefined));
    const versions = many.map((r) => r.data!.registerModelVersion.modelVersion.version).sort((a: number, b: number) => a - b);
    expect(versions).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const shas = new Set(many.map((r) => r.data!.registerModelVersion.modelVersion.artifactSha256));
    expect(shas.size).toBe(8);
  });

  it("registers and updates models idempotently", async () => {
    const register = `mutation($input: RegisterModelInput!) { registerModel(input: $input) { created model { id name description } } }`;
    const first = await app.graphql(register, { input: { namespace: "ml", name: "fraud", description: "v0" } });
    expect(first.data!.registerModel).toMatchObject({ created: true, model: { name: "fraud", description: "v0" } });
    const before = await app.countRows(SIDE_TABLES);
    const again = await app.graphql(register, { input: { namespace: "ml", name: "fraud", description: "ignored" } });
    expect(again.data!.registerModel).toEqual({ created: false, model: first.data!.registerModel.model });
    expect(await app.countRows(SIDE_TABLES)).toEqual(before);

    const id = first.data!.registerModel.model.id;
    const updated = await app.graphql(
      `mutation($id: ID!) { updateModel(input: { id: $id, description: "scores card payments" }) { id description } }`,
      { id },
    );
    expect(updated.data!.updateModel).toEqual({ id, description: "scores card payments" });
    const { rows } = await app.db.pool.query(
      "SELECT action, before->>'description' AS b, after->>'description' AS a FROM audit_event WHERE action = 'model.updated'",
    );
    expect(rows).toEqual([{ action: "model.updated", b: "v0", a: "scores card payments" }]);

    const missing = await app.graphql(`mutation($id: ID!) { updateModel(input: { id: $id }) { id } }`, {
      id: nodeId("Model", UNKNOWN),
    });
    expect(missing.errors?.[0]?.extensions).toMatchObject({ code: "NOT_FOUND", field: "input.id" });
  });

  it("updates a version's description and metrics", async () => {
    const created = await app.graphql(REGISTER_VERSION, { input: versionInput({ model: "upd", artifactSha256: sha(400) }) });
    const id = created.data!.registerModelVersion.modelVersion.id;
    const update = `mutation($input: UpdateModelVersionInput!) { updateModelVersion(input: $input) { id description metrics artifactSha256 } }`;
    const result = await app.graphql(update, { input: { id, description: "evaluated", metrics: { auc: 0.93, f1: 0.8 } } });
    expect(result.data!.updateModelVersion).toEqual({
      id,
      description: "evaluated",
      metrics: { auc: 0.93, f1: 0.8 },
      artifactSha256: sha(400),
    });
    const descriptionOnly = await app.graphql(update, { input: { id, description: "final" } });
    expect(descriptionOnly.data!.updateModelVersion.metrics).toEqual({ auc: 0.93, f1: 0.8 });

    const before = await app.countRows(SIDE_TABLES);
    const bad = await app.graphql(update, { input: { id, metrics: { auc: "high" } } });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.metrics" });
    const wrongKind = await app.graphql(update, { input: { id: nodeId("Model", UNKNOWN) } });
    expect(wrongKind.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.id" });
    const missing = await app.graphql(update, { input: { id: nodeId("ModelVersion", UNKNOWN), description: "x" } });
    expect(missing.errors?.[0]?.extensions).toMatchObject({ code: "NOT_FOUND", field: "input.id" });
    expect(await app.countRows(SIDE_TABLES)).toEqual(before);
  });

  it.each([
    ["artifact uri", { artifactUri: "model.onnx" }, "input.artifactUri"],
    ["sha256", { artifactSha256: "ABC" }, "input.artifactSha256"],
    ["model name", { model: "x".repeat(300) }, "input.model"],
    ["metric value", { metrics: { auc: "0.9" } }, "input.metrics"],
    ["nested metric", { metrics: { auc: { value: 0.9 } } }, "input.metrics"],
    ["signature size", { signature: { blob: "x".repeat(70_000) } }, "input.signature"],
    [
      "metrics size",
      { metrics: Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`metric_${i}`, i])) },
      "input.metrics",
    ],
    ["alias", { aliases: ["ok", "Not OK"] }, "input.aliases"],
    ["duplicate alias", { aliases: ["a", "a"] }, "input.aliases"],
  ])("rejects a bad %s with BAD_USER_INPUT naming the field and writes nothing", async (_label, overrides, field) => {
    const before = await app.countRows(SIDE_TABLES);
    const result = await app.graphql(REGISTER_VERSION, {
      input: versionInput({ model: "bad/input", artifactSha256: sha(999), ...overrides }),
    });
    expect(result.data).toBeNull();
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field });
    expect(result.errors?.[0]?.message).toContain(`"${field}"`);
    expect(JSON.stringify(result.errors)).not.toMatch(/prisma|SELECT|INSERT|at .*\.ts/i);
    expect(await app.countRows(SIDE_TABLES)).toEqual(before);
  });

  it("rejects a metric that is not finite", async () => {
    const before = await app.countRows(SIDE_TABLES);
    const result = await app.graphql(`mutation {
      registerModelVersion(input: { namespace: "ml", model: "inf", artifactUri: "s3://m/x.onnx", artifactSha256: "${sha(998)}", metrics: { auc: 1e999 } }) { created }
    }`);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.metrics" });
    expect(result.errors?.[0]?.message).toMatch(/finite numbers/);
    expect(await app.countRows(SIDE_TABLES)).toEqual(before);
  });

  it("rejects an unknown source run with NOT_FOUND and rolls back the new namespace and model", async () => {
    const before = await app.countRows(SIDE_TABLES);
    const result = await app.graphql(REGISTER_VERSION, {
      input: versionInput({ namespace: "brand-new", model: "m", artifactSha256: sha(5), sourceRunId: nodeId("Run", UNKNOWN) }),
    });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: "NOT_FOUND", field: "input.sourceRunId" });
    expect(await app.countRows(SIDE_TABLES)).toEqual(before);

    const wrongKind = await app.graphql(REGISTER_VERSION, {
      input: versionInput({ artifactSha256: sha(6), sourceRunId: nodeId("Dataset", UNKNOWN) }),
    });
    expect(wrongKind.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.sourceRunId" });
    expect(wrongKind.errors?.[0]?.message).toMatch(/must be the id of a Run/);
    expect(await app.countRows(SIDE_TABLES)).toEqual(before);
  });

  it("pages models and versions with cursors, filters and ordering", async () => {
    for (let i = 0; i < 5; i += 1) {
      await app.graphql(REGISTER_VERSION, {
        input: versionInput({ namespace: "paging", model: `m${i}`, artifactSha256: sha(200 + i) }),
      });
    }
    for (let i = 1; i < 5; i += 1) {
      await app.graphql(REGISTER_VERSION, {
        input: versionInput({ namespace: "paging", model: "m0", artifactSha256: sha(210 + i) }),
      });
    }
    const query = `query($after: String) {
      models(first: 2, after: $after, filter: { namespace: "paging" }, orderBy: { field: NAME, direction: DESC }) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { name } }
      }
    }`;
    const names: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page += 1) {
      const result: any = await app.graphql(query, { after });
      expect(result.errors).toBeUndefined();
      expect(result.data.models.totalCount).toBe(5);
      names.push(...result.data.models.edges.map((edge: any) => edge.node.name));
      if (!result.data.models.pageInfo.hasNextPage) break;
      after = result.data.models.pageInfo.endCursor;
    }
    expect(names).toEqual(["m4", "m3", "m2", "m1", "m0"]);

    const contains = await app.graphql(
      `{ models(filter: { namespace: "paging", nameContains: "3" }) { edges { node { name } } } }`,
    );
    expect(contains.data!.models.edges).toEqual([{ node: { name: "m3" } }]);
    const noNamespace = await app.graphql(`{ models(filter: { namespace: "nope" }) { totalCount } }`);
    expect(noNamespace.data!.models.totalCount).toBe(0);

    const versionsQuery = `query($after: String) { model(namespace: "paging", name: "m0") {
      versions(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { version } } } } }`;
    const seen: number[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 5; page += 1) {
      const result: any = await app.graphql(versionsQuery, { after: cursor });
      expect(result.errors).toBeUndefined();
      const connection = result.data.model.versions;
      expect(connection.totalCount).toBe(5);
      seen.push(...connection.edges.map((edge: any) => edge.node.version));
      if (!connection.pageInfo.hasNextPage) break;
      cursor = connection.pageInfo.endCursor;
    }
    expect(seen).toEqual([5, 4, 3, 2, 1]);

    const modelId = (await app.graphql(`{ model(namespace: "paging", name: "m0") { id } }`)).data!.model.id;
    const ascending = await app.graphql(
      `query($id: ID!) { modelVersions(filter: { modelId: $id }, orderBy: { field: VERSION, direction: ASC }, first: 3) {
      totalCount edges { node { version } } } }`,
      { id: modelId },
    );
    expect(ascending.data!.modelVersions).toEqual({
      totalCount: 5,
      edges: [{ node: { version: 1 } }, { node: { version: 2 } }, { node: { version: 3 } }],
    });
    const bySha = await app.graphql(
      `{ modelVersions(filter: { artifactSha256: "${sha(203)}" }) { edges { node { model { name } } } } }`,
    );
    expect(bySha.data!.modelVersions.edges).toEqual([{ node: { model: { name: "m3" } } }]);
    const wrongKindFilter = await app.graphql(`query($id: ID!) { modelVersions(filter: { modelId: $id }) { totalCount } }`, {
      id: nodeId("Run", UNKNOWN),
    });
    expect(wrongKindFilter.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "filter.modelId" });
    const badCursor = await app.graphql(`{ models(after: "garbage") { totalCount } }`);
    expect(badCursor.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "after" });
  });

  it("loads the versions and source runs of many models in a constant number of statements", async () => {
    async function statementsFor(namespace: string, models: number) {
      for (let i = 0; i < models; i += 1) {
        for (let v = 0; v < 2; v += 1) {
          const result = await app.graphql(REGISTER_VERSION, {
            input: versionInput({
              namespace,
              model: `n${i}`,
              artifactSha256: sha(10_000 * models + 10 * i + v),
              sourceRunId: runId,
            }),
          });
          expect(result.errors).toBeUndefined();
        }
      }
      const start = app.db.statements.count;
      const result = await app.graphql(
        `query($ns: String!) { models(first: 50, filter: { namespace: $ns }) {
        edges { node { name namespace { name } latestVersion { version } aliases { alias }
          versions { edges { node { version aliases model { name } sourceRun { id } } } } } } } }`,
        { ns: namespace },
      );
      const used = app.db.statements.count - start;
      expect(result.errors).toBeUndefined();
      expect(result.data!.models.edges).toHaveLength(models);
      expect(result.data!.models.edges[0].node.versions.edges[0].node.sourceRun).toEqual({ id: runId });
      return used;
    }
    const few = await statementsFor("loaders-few", 2);
    const many = await statementsFor("loaders-many", 8);
    expect(many).toBe(few);
  });

  it("finds models and versions through node(id)", async () => {
    const created = await app.graphql(REGISTER_VERSION, { input: versionInput({ artifactSha256: sha(300) }) });
    const version = created.data!.registerModelVersion.modelVersion;
    const result = await app.graphql(
      `query($v: ID!, $m: ID!) { v: node(id: $v) { id ... on ModelVersion { artifactSha256 } } m: node(id: $m) { id ... on Model { name } } }`,
      { v: version.id, m: version.model.id },
    );
    expect(result.data).toEqual({
      v: { id: version.id, artifactSha256: sha(300) },
      m: { id: version.model.id, name: "churn-classifier" },
    });
    const missing = await app.graphql(`query($id: ID!) { node(id: $id) { id } }`, { id: nodeId("ModelVersion", UNKNOWN) });
    expect(missing.data!.node).toBeNull();
  });
});
