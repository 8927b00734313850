import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestApp, startTestApp } from "../testing/test-app.js";
import { REGISTER_VERSION, SIDE_TABLES, UNKNOWN, nodeId, sha, versionInput } from "./model.fixtures.js";

const SET_ALIAS = `
  mutation Set($input: SetModelAliasInput!) {
    setModelAlias(input: $input) { alias changed model { name } modelVersion { version aliases } previousModelVersion { version aliases } }
  }`;

describe("model aliases", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it("moves aliases between versions, records before/after and removes them", async () => {
    const v1 = await app.graphql(REGISTER_VERSION, {
      input: versionInput({ model: "ranker", artifactSha256: sha(500), aliases: ["champion", "stable"] }),
    });
    expect(v1.errors).toBeUndefined();
    expect(v1.data!.registerModelVersion.modelVersion.aliases).toEqual(["champion", "stable"]);
    const v2 = await app.graphql(REGISTER_VERSION, { input: versionInput({ model: "ranker", artifactSha256: sha(501) }) });
    const v2Id = v2.data!.registerModelVersion.modelVersion.id;

    const moved = await app.graphql(SET_ALIAS, { input: { modelVersionId: v2Id, alias: "champion" } });
    expect(moved.errors).toBeUndefined();
    expect(moved.data!.setModelAlias).toEqual({
      alias: "champion",
      changed: true,
      model: { name: "ranker" },
      modelVersion: { version: 2, aliases: ["champion"] },
      previousModelVersion: { version: 1, aliases: ["stable"] },
    });
    const { rows } = await app.db.pool.query(
      "SELECT before->>'version' AS b, after->>'version' AS a FROM audit_event WHERE action = 'model_alias.set' ORDER BY id DESC LIMIT 1",
    );
    expect(rows[0]).toEqual({ b: "1", a: "2" });

    const before = await app.countRows(SIDE_TABLES);
    const again = await app.graphql(SET_ALIAS, { input: { modelVersionId: v2Id, alias: "champion" } });
    expect(again.data!.setModelAlias.changed).toBe(false);
    expect(await app.countRows(SIDE_TABLES)).toEqual(before);

    const model = await app.graphql(
      `{ model(namespace: "ml", name: "ranker") { id latestVersion { version } aliases { alias modelVersion { version } } } }`,
    );
    expect(model.data!.model.latestVersion).toEqual({ version: 2 });
    expect(model.data!.model.aliases).toEqual([
      { alias: "champion", modelVersion: { version: 2 } },
      { alias: "stable", modelVersion: { version: 1 } },
    ]);
    const byAlias = await app.graphql(
      `{ modelVersions(filter: { alias: "champion" }) { totalCount edges { node { version model { name } } } } }`,
    );
    expect(byAlias.data!.modelVersions).toEqual({ totalCount: 1, edges: [{ node: { version: 2, model: { name: "ranker" } } }] });

    const remove = `mutation($input: RemoveModelAliasInput!) { removeModelAlias(input: $input) { name aliases { alias } } }`;
    const modelId = model.data!.model.id;
    const removed = await app.graphql(remove, { input: { modelId, alias: "stable" } });
    expect(removed.data!.removeModelAlias).toEqual({ name: "ranker", aliases: [{ alias: "champion" }] });

    const beforeMissing = await app.countRows(SIDE_TABLES);
    const absent = await app.graphql(remove, { input: { modelId, alias: "stable" } });
    expect(absent.errors?.[0]?.extensions).toMatchObject({ code: "NOT_FOUND", field: "input.alias" });
    const unknownModel = await app.graphql(remove, { input: { modelId: nodeId("Model", UNKNOWN), alias: "champion" } });
    expect(unknownModel.errors?.[0]?.extensions).toMatchObject({ code: "NOT_FOUND", field: "input.modelId" });
    const badAlias = await app.graphql(SET_ALIAS, { input: { modelVersionId: v2Id, alias: "Champion!" } });
    expect(badAlias.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.alias" });
    const unknownVersion = await app.graphql(SET_ALIAS, {
      input: { modelVersionId: nodeId("ModelVersion", UNKNOWN), alias: "champion" },
    });
    expect(unknownVersion.errors?.[0]?.extensions).toMatchObject({ code: "NOT_FOUND", field: "input.modelVersionId" });
    expect(await app.countRows(SIDE_TABLES)).toEqual(beforeMissing);
  });

  it("moves one alias concurrently with a consistent before/after chain", async () => {
    const register = async (n: number, aliases: string[] = []) => {
      const result = await app.graphql(REGISTER_VERSION, {
        input: versionInput({ model: "race-ranker", artifactSha256: sha(n), aliases }),
      });
      expect(result.errors).toBeUndefined();
      return result.data!.registerModelVersion.modelVersion as { id: string; model: { id: string } };
    };
    const v1 = await register(600, ["champion"]);
    const [v2, v3] = [await register(601), await register(602)];
    const results = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        app.graphql(SET_ALIAS, { input: { modelVersionId: i % 2 === 0 ? v2.id : v3.id, alias: "champion" } }),
      ),
    );
    expect(results.map((r) => r.errors)).toEqual(results.map(() => undefined));
    const { rows } = await app.db.pool.query(
      `SELECT before->>'version' AS b, after->>'version' AS a FROM audit_event
        WHERE action = 'model_alias.set' AND target_id = $1 ORDER BY id`,
      [Buffer.from(v1.model.id, "base64url").toString("utf8").split(":")[1]],
    );
    // The first event is v1's registration; every later move starts where the previous one ended.
    expect(rows[0]).toEqual({ b: null, a: "1" });
    expect(rows.slice(1).map((row) => row.b)).toEqual(rows.slice(0, -1).map((row) => row.a));
    expect(rows.length).toBe(1 + results.filter((r) => r.data!.setModelAlias.changed).length);
    const model = await app.graphql(
      `{ model(namespace: "ml", name: "race-ranker") { aliases { alias modelVersion { version } } } }`,
    );
    expect(model.data!.model.aliases).toEqual([{ alias: "champion", modelVersion: { version: Number(rows.at(-1)!.a) } }]);
  });

  it("removes one alias exactly once under concurrent removals", async () => {
    const result = await app.graphql(REGISTER_VERSION, {
      input: versionInput({ model: "race-remover", artifactSha256: sha(610), aliases: ["canary"] }),
    });
    const modelId = result.data!.registerModelVersion.modelVersion.model.id;
    const remove = `mutation($input: RemoveModelAliasInput!) { removeModelAlias(input: $input) { name aliases { alias } } }`;
    const before = await app.countRows(SIDE_TABLES);
    const results = await Promise.all(
      Array.from({ length: 8 }, () => app.graphql(remove, { input: { modelId, alias: "canary" } })),
    );
    expect(results.filter((r) => r.errors === undefined).map((r) => r.data!.removeModelAlias)).toEqual([
      { name: "race-remover", aliases: [] },
    ]);
    expect(results.filter((r) => r.errors).map((r) => r.errors![0]!.extensions)).toEqual(
      Array.from({ length: 7 }, () => expect.objectContaining({ code: "NOT_FOUND", field: "input.alias" })),
    );
    expect(await app.countRows(SIDE_TABLES)).toEqual({
      ...before,
      model_alias: before.model_alias! - 1,
      audit_event: before.audit_event! + 1,
      graph_outbox: before.graph_outbox! + 1,
    });
  });
});
