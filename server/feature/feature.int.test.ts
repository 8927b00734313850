import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestApp, startTestApp } from "../testing/test-app.js";

const REGISTER_SET = `
  mutation Register($input: RegisterFeatureSetInput!) {
    registerFeatureSet(input: $input) {
      created
      featureSet { id name entityKeys description namespace { name } }
    }
  }`;

const REGISTER_FEATURE = `
  mutation Register($input: RegisterFeatureInput!) {
    registerFeature(input: $input) {
      created
      feature { id name dtype description transformationRef featureSet { id name } sources { id digest } }
    }
  }`;

const REGISTER_VERSION = `
  mutation Register($input: RegisterDatasetVersionInput!) {
    registerDatasetVersion(input: $input) { datasetVersion { id } }
  }`;

const SIDE_TABLES = ["namespace", "feature_set", "feature", "lineage_edge", "audit_event", "graph_outbox"];

const digest = (n: number) => `sha256:${n.toString(16).padStart(64, "0")}`;
const globalId = (kind: string, key: string) => Buffer.from(`${kind}:${key}`).toString("base64url");
const UNKNOWN_UUID = "00000000-0000-4000-8000-000000000001";

describe("feature sets and features", () => {
  let app: TestApp;
  let versionIds: string[];
  let setId: string;

  async function registerSet(input: Record<string, unknown>) {
    return app.graphql(REGISTER_SET, { input });
  }

  async function registerFeature(input: Record<string, unknown>) {
    return app.graphql(REGISTER_FEATURE, { input: { featureSetId: setId, dtype: "float32", ...input } });
  }

  beforeAll(async () => {
    app = await startTestApp();
    versionIds = [];
    for (let i = 0; i < 4; i += 1) {
      const result = await app.graphql(REGISTER_VERSION, {
        input: {
          namespace: "ml",
          dataset: "churn/events",
          uri: `s3://lake/churn/${i}`,
          format: "PARQUET",
          digest: digest(i + 1),
        },
      });
      expect(result.errors).toBeUndefined();
      versionIds.push(result.data!.registerDatasetVersion.datasetVersion.id);
    }
    const set = await registerSet({ namespace: "ml", name: "churn_features", entityKeys: ["user_id"] });
    setId = set.data!.registerFeatureSet.featureSet.id;
  });
  afterAll(async () => {
    await app?.close();
  });

  it("registers a feature set, creating its namespace, with one audit event and outbox row each", async () => {
    const before = await app.countRows(SIDE_TABLES);
    const result = await registerSet({
      namespace: "fs-new",
      name: "user_profile",
      entityKeys: ["user_id", "country"],
      description: "Profile features",
    });
    expect(result.errors).toBeUndefined();
    expect(result.data!.registerFeatureSet).toMatchObject({
      created: true,
      featureSet: {
        name: "user_profile",
        entityKeys: ["user_id", "country"],
        description: "Profile features",
        namespace: { name: "fs-new" },
      },
    });
    const after = await app.countRows(SIDE_TABLES);
    expect(after.feature_set).toBe(before.feature_set! + 1);
    expect(after.namespace).toBe(before.namespace! + 1);
    expect(after.audit_event).toBe(before.audit_event! + 2);
    expect(after.graph_outbox).toBe(before.graph_outbox! + 2);
    const { rows } = await app.db.pool.query(
      "SELECT action FROM audit_event WHERE target_type = 'FeatureSet' ORDER BY id DESC LIMIT 1",
    );
    expect(rows[0].action).toBe("feature_set.registered");

    const again = await registerSet({ namespace: "fs-new", name: "user_profile", entityKeys: ["other"] });
    expect(again.data!.registerFeatureSet.created).toBe(false);
    expect(again.data!.registerFeatureSet.featureSet.id).toBe(result.data!.registerFeatureSet.featureSet.id);
    expect(again.data!.registerFeatureSet.featureSet.entityKeys).toEqual(["user_id", "country"]);
    expect(await app.countRows(SIDE_TABLES)).toEqual(after);
  });

  it("registers a feature with SOURCE_OF edges from its dataset versions", async () => {
    const before = await app.countRows(SIDE_TABLES);
    const result = await registerFeature({
      name: "days_since_login",
      dtype: "int64",
      description: "Days since last login",
      transformationRef: "git://features/churn.py#days_since_login",
      sourceDatasetVersionIds: [versionIds[0], versionIds[1], versionIds[0]],
    });
    expect(result.errors).toBeUndefined();
    expect(result.data!.registerFeature).toEqual({
      created: true,
      feature: {
        id: expect.any(String),
        name: "days_since_login",
        dtype: "int64",
        description: "Days since last login",
        transformationRef: "git://features/churn.py#days_since_login",
        featureSet: { id: setId, name: "churn_features" },
        // Sources are a set: edges written in one statement share their creation time.
        sources: expect.arrayContaining([
          { id: versionIds[0], digest: digest(1) },
          { id: versionIds[1], digest: digest(2) },
        ]),
      },
    });
    expect(result.data!.registerFeature.feature.sources).toHaveLength(2);
    const after = await app.countRows(SIDE_TABLES);
    expect(after.feature).toBe(before.feature! + 1);
    expect(after.lineage_edge).toBe(before.lineage_edge! + 2);
    expect(after.audit_event).toBe(before.audit_event! + 1);
    expect(after.graph_outbox).toBe(before.graph_outbox! + 1);
    const { rows } = await app.db.pool.query(
      "SELECT upstream_type, downstream_type, kind FROM lineage_edge WHERE kind = 'SOURCE_OF' ORDER BY created_at DESC LIMIT 2",
    );
    expect(rows).toEqual([
      { upstream_type: "DATASET_VERSION", downstream_type: "FEATURE", kind: "SOURCE_OF" },
      { upstream_type: "DATASET_VERSION", downstream_type: "FEATURE", kind: "SOURCE_OF" },
    ]);
  });

  it("is idempotent on feature set + name, and a new source adds only the missing edge", async () => {
    const first = await registerFeature({ name: "avg_session", sourceDatasetVersionIds: [versionIds[0]] });
    const id = first.data!.registerFeature.feature.id;
    const before = await app.countRows(SIDE_TABLES);
    const same = await registerFeature({ name: "avg_session", dtype: "float64", sourceDatasetVersionIds: [versionIds[0]] });
    expect(same.data!.registerFeature).toMatchObject({ created: false, feature: { id, dtype: "float32" } });
    expect(await app.countRows(SIDE_TABLES)).toEqual(before);

    const more = await registerFeature({ name: "avg_session", sourceDatasetVersionIds: [versionIds[0], versionIds[2]] });
    expect(more.errors).toBeUndefined();
    expect(more.data!.registerFeature.created).toBe(false);
    expect(more.data!.registerFeature.feature.sources.map((s: { id: string }) => s.id)).toEqual([versionIds[0], versionIds[2]]);
    const after = await app.countRows(SIDE_TABLES);
    expect(after).toEqual({
      ...before,
      lineage_edge: before.lineage_edge! + 1,
      audit_event: before.audit_event! + 1,
      graph_outbox: before.graph_outbox! + 1,
    });
    const { rows } = await app.db.pool.query("SELECT action FROM audit_event ORDER BY id DESC LIMIT 1");
    expect(rows[0].action).toBe("feature.sources_added");
  });

  it("updates a feature set and a feature, recording each change", async () => {
    const feature = await registerFeature({ name: "to_update", dtype: "int32" });
    const featureId = feature.data!.registerFeature.feature.id;
    const set = await app.graphql(
      `mutation($input: UpdateFeatureSetInput!) { updateFeatureSet(input: $input) { id entityKeys description } }`,
      { input: { id: setId, description: "Churn model inputs", entityKeys: ["user_id", "day"] } },
    );
    expect(set.data!.updateFeatureSet).toEqual({ id: setId, entityKeys: ["user_id", "day"], description: "Churn model inputs" });
    const updated = await app.graphql(
      `mutation($input: UpdateFeatureInput!) { updateFeature(input: $input) { id dtype description transformationRef } }`,
      { input: { id: featureId, dtype: "int64", transformationRef: "dbt://models/churn" } },
    );
    expect(updated.data!.updateFeature).toEqual({
      id: featureId,
      dtype: "int64",
      description: null,
      transformationRef: "dbt://models/churn",
    });
    const { rows } = await app.db.pool.query("SELECT action, before, after FROM audit_event ORDER BY id DESC LIMIT 2");
    expect(rows.map((row) => row.action)).toEqual(["feature.updated", "feature_set.updated"]);
    expect(rows[0].before.dtype).toBe("int32");
    expect(rows[0].after.dtype).toBe("int64");
  });

  it.each([
    ["feature set name", REGISTER_SET, { namespace: "ml", name: " leading-space" }, "input.name"],
    ["namespace", REGISTER_SET, { namespace: "", name: "ok" }, "input.namespace"],
    [
      "entity key count",
      REGISTER_SET,
      { namespace: "ml", name: "ok", entityKeys: Array.from({ length: 33 }, (_, i) => `k${i}`) },
      "input.entityKeys",
    ],
    ["entity key", REGISTER_SET, { namespace: "ml", name: "ok", entityKeys: ["user_id", ""] }, "input.entityKeys"],
    ["repeated entity key", REGISTER_SET, { namespace: "ml", name: "ok", entityKeys: ["a", "a"] }, "input.entityKeys"],
    ["feature name", REGISTER_FEATURE, { name: "x".repeat(256) }, "input.name"],
    ["empty dtype", REGISTER_FEATURE, { name: "ok", dtype: "" }, "input.dtype"],
    ["long dtype", REGISTER_FEATURE, { name: "ok", dtype: "x".repeat(65) }, "input.dtype"],
    [
      "source count",
      REGISTER_FEATURE,
      { name: "ok", sourceDatasetVersionIds: Array.from({ length: 1001 }, () => "x") },
      "input.sourceDatasetVersionIds",
    ],
    ["featureSetId", REGISTER_FEATURE, { name: "ok", featureSetId: "garbage" }, "input.featureSetId"],
    [
      "source id kind",
      REGISTER_FEATURE,
      { name: "ok", sourceDatasetVersionIds: [globalId("Dataset", UNKNOWN_UUID)] },
      "input.sourceDatasetVersionIds[0]",
    ],
  ])("rejects a bad %s with BAD_USER_INPUT naming the field and writes nothing", async (_label, mutation, input, field) => {
    const before = await app.countRows(SIDE_TABLES);
    const variables = mutation === REGISTER_FEATURE ? { featureSetId: setId, dtype: "float32", ...input } : input;
    const result = await app.graphql(mutation, { input: variables });
    expect(result.data).toBeNull();
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field });
    expect(result.errors?.[0]?.message).toContain(`"${field}"`);
    expect(JSON.stringify(result.errors)).not.toMatch(/prisma|SELECT|INSERT|at .*\.ts/i);
    expect(await app.countRows(SIDE_TABLES)).toEqual(before);
  });

  it("rejects a feature set id of another kind", async () => {
    const result = await registerFeature({ name: "ok", featureSetId: versionIds[0] });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.featureSetId" });
    expect(result.errors?.[0]?.message).toMatch(/must be the id of a FeatureSet/);
  });

  it.each([
    ["feature set", () => ({ featureSetId: globalId("FeatureSet", UNKNOWN_UUID) }), "input.featureSetId"],
    [
      "source dataset version",
      () => ({ sourceDatasetVersionIds: [versionIds[0], globalId("DatasetVersion", UNKNOWN_UUID)] }),
      "input.sourceDatasetVersionIds[1]",
    ],
  ])("rejects an unknown %s with NOT_FOUND and writes nothing", async (_label, overrides, field) => {
    const before = await app.countRows(SIDE_TABLES);
    const result = await registerFeature({ name: "never", ...overrides() });
    expect(result.data).toBeNull();
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: "NOT_FOUND", field });
    expect(await app.countRows(SIDE_TABLES)).toEqual(before);
  });

  it("rejects updates of unknown or wrong-kind ids and writes nothing", async () => {
    const before = await app.countRows(SIDE_TABLES);
    const unknownSet = await app.graphql(`mutation($input: UpdateFeatureSetInput!) { updateFeatureSet(input: $input) { id } }`, {
      input: { id: globalId("FeatureSet", UNKNOWN_UUID), description: "x" },
    });
    expect(unknownSet.errors?.[0]?.extensions).toMatchObject({ code: "NOT_FOUND", field: "input.id" });
    const unknownFeature = await app.graphql(`mutation($input: UpdateFeatureInput!) { updateFeature(input: $input) { id } }`, {
      input: { id: globalId("Feature", UNKNOWN_UUID), dtype: "int8" },
    });
    expect(unknownFeature.errors?.[0]?.extensions).toMatchObject({ code: "NOT_FOUND", field: "input.id" });
    const wrongKind = await app.graphql(`mutation($input: UpdateFeatureInput!) { updateFeature(input: $input) { id } }`, {
      input: { id: setId, dtype: "int8" },
    });
    expect(wrongKind.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.id" });
    const badKeys = await app.graphql(`mutation($input: UpdateFeatureSetInput!) { updateFeatureSet(input: $input) { id } }`, {
      input: { id: setId, entityKeys: ["\u0007bell"] },
    });
    expect(badKeys.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.entityKeys[0]" });
    expect(await app.countRows(SIDE_TABLES)).toEqual(before);
  });

  it("pages feature sets and features with cursors, filters and ordering", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const set = await registerSet({ namespace: "paging", name: `set${i}` });
      ids.push(set.data!.registerFeatureSet.featureSet.id);
    }
    const query = `query($after: String) {
      featureSets(first: 2, after: $after, filter: { namespace: "paging" }, orderBy: { field: NAME, direction: DESC }) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { name } }
      }
    }`;
    const names: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page += 1) {
      const result: any = await app.graphql(query, { after });
      expect(result.errors).toBeUndefined();
      expect(result.data.featureSets.totalCount).toBe(5);
      names.push(...result.data.featureSets.edges.map((edge: any) => edge.node.name));
      if (!result.data.featureSets.pageInfo.hasNextPage) break;
      after = result.data.featureSets.pageInfo.endCursor;
    }
    expect(names).toEqual(["set4", "set3", "set2", "set1", "set0"]);

    const contains = await app.graphql(
      `{ featureSets(filter: { nameContains: "set3" }) { edges { node { name namespace { name } } } } }`,
    );
    expect(contains.data!.featureSets.edges).toEqual([{ node: { name: "set3", namespace: { name: "paging" } } }]);

    for (const [name, dtype] of [
      ["f_a", "int64"],
      ["f_b", "string"],
      ["f_c", "int64"],
    ]) {
      await app.graphql(REGISTER_FEATURE, { input: { featureSetId: ids[0], name, dtype } });
    }
    const nested = await app.graphql(
      `query($after: String) { featureSet(namespace: "paging", name: "set0") {
        features(first: 2, after: $after, orderBy: { field: NAME, direction: ASC }) { totalCount pageInfo { hasNextPage endCursor } edges { node { name } } }
      } }`,
    );
    const firstPage = nested.data!.featureSet.features;
    expect(firstPage.totalCount).toBe(3);
    expect(firstPage.edges.map((edge: any) => edge.node.name)).toEqual(["f_a", "f_b"]);
    const secondPage = await app.graphql(
      `query($after: String) { featureSet(namespace: "paging", name: "set0") { features(first: 2, after: $after) { pageInfo { hasNextPage } edges { node { name } } } } }`,
      { after: firstPage.pageInfo.endCursor },
    );
    expect(secondPage.data!.featureSet.features).toEqual({
      pageInfo: { hasNextPage: false },
      edges: [{ node: { name: "f_c" } }],
    });

    const byDtype = await app.graphql(
      `{ features(filter: { namespace: "paging", dtype: "int64" }, orderBy: { field: NAME, direction: DESC }) { totalCount edges { node { name } } } }`,
    );
    expect(byDtype.data!.features).toEqual({ totalCount: 2, edges: [{ node: { name: "f_c" } }, { node: { name: "f_a" } }] });
    const bySet = await app.graphql(
      `query($id: ID!) { features(filter: { featureSetId: $id, nameContains: "_b" }) { edges { node { name } } } }`,
      {
        id: ids[0],
      },
    );
    expect(bySet.data!.features.edges).toEqual([{ node: { name: "f_b" } }]);
    const otherNamespace = await app.graphql(`{ features(filter: { namespace: "nowhere" }) { totalCount } }`);
    expect(otherNamespace.data!.features.totalCount).toBe(0);
    expect((await app.graphql(`{ featureSet(namespace: "paging", name: "nope") { id } }`)).data!.featureSet).toBeNull();

    const badCursor = await app.graphql(`{ features(after: "garbage") { totalCount } }`);
    expect(badCursor.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "after" });
    const badFilter = await app.graphql(`{ features(filter: { featureSetId: "${versionIds[0]}" }) { totalCount } }`);
    expect(badFilter.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "filter.featureSetId" });
  });

  it("loads nested feature sets and sources with a constant number of statements", async () => {
    const statementsFor = async (count: number) => {
      const set = await registerSet({ namespace: "loaders", name: `set-of-${count}` });
      const featureSetId = set.data!.registerFeatureSet.featureSet.id;
      for (let i = 0; i < count; i += 1) {
        await app.graphql(REGISTER_FEATURE, {
          input: {
            featureSetId,
            name: `f${i}`,
            dtype: "int64",
            sourceDatasetVersionIds: [versionIds[i % 4], versionIds[(i + 1) % 4]],
          },
        });
      }
      const start = app.db.statements.count;
      const result = await app.graphql(
        `query($id: ID!) { features(filter: { featureSetId: $id }) { edges { node { name featureSet { name namespace { name } } sources { digest dataset { name } } } } } }`,
        { id: featureSetId },
      );
      expect(result.errors).toBeUndefined();
      expect(result.data!.features.edges).toHaveLength(count);
      expect(result.data!.features.edges[0].node.sources).toHaveLength(2);
      return app.db.statements.count - start;
    };
    const small = await statementsFor(2);
    // features, feature sets, namespaces, SOURCE_OF edges, dataset versions, datasets: one each
    expect(small).toBeLessThanOrEqual(6);
    expect(await statementsFor(8)).toBe(small);
  });

  it("finds feature sets and features through node(id)", async () => {
    const feature = await registerFeature({ name: "node_lookup", sourceDatasetVersionIds: [versionIds[3]] });
    const featureId = feature.data!.registerFeature.feature.id;
    const result = await app.graphql(
      `query($ids: [ID!]!) { nodes(ids: $ids) { id ... on FeatureSet { name } ... on Feature { name sources { digest } } } }`,
      { ids: [setId, featureId, globalId("Feature", UNKNOWN_UUID)] },
    );
    expect(result.data!.nodes).toEqual([
      { id: setId, name: "churn_features" },
      { id: featureId, name: "node_lookup", sources: [{ digest: digest(4) }] },
      null,
    ]);
  });
});
