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
});
