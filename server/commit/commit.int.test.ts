import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestApp, startTestApp } from "../testing/test-app.js";

const REGISTER = `
  mutation Register($input: RegisterCodeCommitInput!) {
    registerCodeCommit(input: $input) {
      created
      codeCommit { id repository sha branch author message committedAt createdAt namespace { name } }
    }
  }`;

const UPDATE = `
  mutation Update($input: UpdateCodeCommitInput!) {
    updateCodeCommit(input: $input) { id sha branch message }
  }`;

const SIDE_TABLES = ["namespace", "code_commit", "lineage_edge", "audit_event", "graph_outbox"];

const sha = (n: number) => n.toString(16).padStart(40, "0");
const globalId = (kind: string, key: string) => Buffer.from(`${kind}:${key}`).toString("base64url");

function commitInput(overrides: Record<string, unknown> = {}) {
  return {
    namespace: "ml",
    repository: "github.com/acme/churn",
    sha: sha(1),
    branch: "main",
    author: "Ada Lovelace <ada@example.com>",
    message: "Add churn features",
    committedAt: "2026-03-01T10:00:00.000Z",
    ...overrides,
  };
}

describe("code commits", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it("registers a commit, creating its namespace, with audit and outbox rows", async () => {
    const before = await app.countRows(SIDE_TABLES);
    const result = await app.graphql(REGISTER, { input: commitInput() });
    expect(result.errors).toBeUndefined();
    expect(result.data!.registerCodeCommit).toMatchObject({
      created: true,
      codeCommit: {
        repository: "github.com/acme/churn",
        sha: sha(1),
        branch: "main",
        author: "Ada Lovelace <ada@example.com>",
        message: "Add churn features",
        committedAt: "2026-03-01T10:00:00.000Z",
        namespace: { name: "ml" },
      },
    });
    const after = await app.countRows(SIDE_TABLES);
    expect(after.code_commit).toBe(before.code_commit! + 1);
    expect(after.namespace).toBe(before.namespace! + 1);
    expect(after.audit_event).toBe(before.audit_event! + 2);
    expect(after.graph_outbox).toBe(before.graph_outbox! + 2);
    expect(after.lineage_edge).toBe(before.lineage_edge);
    const { rows } = await app.db.pool.query(
      "SELECT action, actor, request_id FROM audit_event WHERE target_type = 'CodeCommit' ORDER BY id DESC LIMIT 1",
    );
    expect(rows[0]).toMatchObject({ action: "code_commit.registered", actor: "anonymous" });
    expect(rows[0].request_id).toBeTruthy();
  });

  it("is idempotent on namespace + repository + sha", async () => {
    const first = await app.graphql(REGISTER, { input: commitInput({ sha: sha(2) }) });
    const before = await app.countRows(SIDE_TABLES);
    const second = await app.graphql(REGISTER, { input: commitInput({ sha: sha(2), branch: "other", message: "changed" }) });
    expect(second.data!.registerCodeCommit).toMatchObject({
      created: false,
      codeCommit: { id: first.data!.registerCodeCommit.codeCommit.id, branch: "main", message: "Add churn features" },
    });
    expect(await app.countRows(SIDE_TABLES)).toEqual(before);

    const otherRepository = await app.graphql(REGISTER, {
      input: commitInput({ sha: sha(2), repository: "https://github.com/acme/fraud.git" }),
    });
    const otherNamespace = await app.graphql(REGISTER, { input: commitInput({ sha: sha(2), namespace: "ml-staging" }) });
    expect(otherRepository.data!.registerCodeCommit.created).toBe(true);
    expect(otherNamespace.data!.registerCodeCommit.created).toBe(true);
    const ids = [first, otherRepository, otherNamespace].map((r) => r.data!.registerCodeCommit.codeCommit.id);
    expect(new Set(ids).size).toBe(3);
  });

  it("gives concurrent registrations of one commit one row", async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        app.graphql(REGISTER, { input: commitInput({ repository: "github.com/acme/race", sha: sha(3) }) }),
      ),
    );
    expect(results.map((r) => r.errors)).toEqual(results.map(() => undefined));
    expect(new Set(results.map((r) => r.data!.registerCodeCommit.codeCommit.id)).size).toBe(1);
    expect(results.filter((r) => r.data!.registerCodeCommit.created)).toHaveLength(1);
  });

  it("corrects branch and message, recording the change", async () => {
    const created = await app.graphql(REGISTER, { input: commitInput({ sha: sha(4), branch: "feature/x" }) });
    const id = created.data!.registerCodeCommit.codeCommit.id;
    const result = await app.graphql(UPDATE, { input: { id, branch: "main", message: "Squashed: add churn features" } });
    expect(result.errors).toBeUndefined();
    expect(result.data!.updateCodeCommit).toEqual({ id, sha: sha(4), branch: "main", message: "Squashed: add churn features" });
    const { rows } = await app.db.pool.query("SELECT action, before, after FROM audit_event ORDER BY id DESC LIMIT 1");
    expect(rows[0].action).toBe("code_commit.updated");
    expect(rows[0].before.branch).toBe("feature/x");
    expect(rows[0].after.branch).toBe("main");
  });

  it.each([
    ["uppercase sha", { sha: "ABCDEF1234" }, "input.sha"],
    ["short sha", { sha: "abcdef" }, "input.sha"],
    ["long sha", { sha: "a".repeat(65) }, "input.sha"],
    ["non-hex sha", { sha: "abcdefg" }, "input.sha"],
    ["repository with whitespace", { repository: "github.com/acme/my repo" }, "input.repository"],
    ["repository without owner", { repository: "churn" }, "input.repository"],
    ["long repository", { repository: `https://github.com/${"a".repeat(2048)}` }, "input.repository"],
    ["branch", { branch: "my branch" }, "input.branch"],
    ["namespace", { namespace: "\u0000ns" }, "input.namespace"],
    ["author", { author: "x".repeat(513) }, "input.author"],
  ])("rejects a bad %s with BAD_USER_INPUT naming the field and writes nothing", async (_label, overrides, field) => {
    const before = await app.countRows(SIDE_TABLES);
    const result = await app.graphql(REGISTER, { input: commitInput({ namespace: "bad-input", sha: sha(99), ...overrides }) });
    expect(result.data).toBeNull();
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field });
    expect(result.errors?.[0]?.message).toContain(`"${field}"`);
    expect(JSON.stringify(result.errors)).not.toMatch(/prisma|SELECT|INSERT|at .*\.ts/i);
    expect(await app.countRows(SIDE_TABLES)).toEqual(before);
  });

  it("rejects updates of unknown ids, ids of another kind and bad branches, writing nothing", async () => {
    const created = await app.graphql(REGISTER, { input: commitInput({ sha: sha(5) }) });
    const id = created.data!.registerCodeCommit.codeCommit.id;
    const before = await app.countRows(SIDE_TABLES);
    const unknown = await app.graphql(UPDATE, {
      input: { id: globalId("CodeCommit", "00000000-0000-4000-8000-000000000001"), branch: "x" },
    });
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: "NOT_FOUND", field: "input.id" });
    const wrongKind = await app.graphql(UPDATE, {
      input: { id: globalId("Run", "00000000-0000-4000-8000-000000000001"), branch: "x" },
    });
    expect(wrongKind.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.id" });
    expect(wrongKind.errors?.[0]?.message).toMatch(/must be the id of a CodeCommit/);
    const badBranch = await app.graphql(UPDATE, { input: { id, branch: "two words" } });
    expect(badBranch.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.branch" });
    expect(await app.countRows(SIDE_TABLES)).toEqual(before);
  });

  it("pages by commit date, newest first by default, commits without a date last", async () => {
    const dates = [
      "2026-01-03T00:00:00.000Z",
      null,
      "2026-01-01T00:00:00.000Z",
      "2026-01-05T00:00:00.000Z",
      null,
      "2026-01-03T00:00:00.000Z",
    ];
    for (const [i, committedAt] of dates.entries()) {
      await app.graphql(REGISTER, {
        input: commitInput({ namespace: "paging", sha: sha(200 + i), committedAt, branch: i % 2 === 0 ? "main" : "dev" }),
      });
    }
    const readAll = async (orderBy: string) => {
      const query = `query($after: String) {
        codeCommits(first: 2, after: $after, filter: { namespace: "paging" }${orderBy}) {
          totalCount pageInfo { hasNextPage endCursor } edges { node { sha committedAt } }
        }
      }`;
      const seen: Array<{ sha: string; committedAt: string | null }> = [];
      let after: string | null = null;
      for (let page = 0; page < 10; page += 1) {
        const result: any = await app.graphql(query, { after });
        expect(result.errors).toBeUndefined();
        expect(result.data.codeCommits.totalCount).toBe(6);
        seen.push(...result.data.codeCommits.edges.map((edge: any) => edge.node));
        if (!result.data.codeCommits.pageInfo.hasNextPage) break;
        after = result.data.codeCommits.pageInfo.endCursor;
      }
      return seen;
    };

    const newestFirst = await readAll("");
    expect(newestFirst.map((c) => c.committedAt)).toEqual([
      "2026-01-05T00:00:00.000Z",
      "2026-01-03T00:00:00.000Z",
      "2026-01-03T00:00:00.000Z",
      "2026-01-01T00:00:00.000Z",
      null,
      null,
    ]);
    expect(new Set(newestFirst.map((c) => c.sha)).size).toBe(6);

    const oldestFirst = await readAll(", orderBy: { field: COMMITTED_AT, direction: ASC }");
    expect(oldestFirst.map((c) => c.committedAt)).toEqual([
      "2026-01-01T00:00:00.000Z",
      "2026-01-03T00:00:00.000Z",
      "2026-01-03T00:00:00.000Z",
      "2026-01-05T00:00:00.000Z",
      null,
      null,
    ]);
    expect(new Set(oldestFirst.map((c) => c.sha)).size).toBe(6);

    const byCreation = await readAll(", orderBy: { field: CREATED_AT, direction: ASC }");
    expect(byCreation.map((c) => c.sha)).toEqual(dates.map((_, i) => sha(200 + i)));
  });

  it("filters by repository, branch, sha prefix and namespace", async () => {
    await app.graphql(REGISTER, {
      input: commitInput({ namespace: "filters", repository: "gitlab.com/acme/a", sha: "abc1234def", branch: "main" }),
    });
    await app.graphql(REGISTER, {
      input: commitInput({ namespace: "filters", repository: "gitlab.com/acme/a", sha: "abc9999def", branch: "dev" }),
    });
    await app.graphql(REGISTER, {
      input: commitInput({ namespace: "filters", repository: "gitlab.com/acme/b", sha: "abc1234fff", branch: "main" }),
    });
    const shas = async (filter: string) => {
      const result: any = await app.graphql(
        `{ codeCommits(filter: { namespace: "filters", ${filter} }, orderBy: { field: CREATED_AT, direction: ASC }) { totalCount edges { node { sha } } } }`,
      );
      expect(result.errors).toBeUndefined();
      return { total: result.data.codeCommits.totalCount, shas: result.data.codeCommits.edges.map((edge: any) => edge.node.sha) };
    };
    expect(await shas(`repository: "gitlab.com/acme/a"`)).toEqual({ total: 2, shas: ["abc1234def", "abc9999def"] });
    expect(await shas(`branch: "main"`)).toEqual({ total: 2, shas: ["abc1234def", "abc1234fff"] });
    expect(await shas(`sha: "abc1234"`)).toEqual({ total: 2, shas: ["abc1234def", "abc1234fff"] });
    expect(await shas(`sha: "abc1234fff", repository: "gitlab.com/acme/b"`)).toEqual({ total: 1, shas: ["abc1234fff"] });
    const unknownNamespace: any = await app.graphql(
      `{ codeCommits(filter: { namespace: "nowhere" }) { totalCount edges { node { sha } } } }`,
    );
    expect(unknownNamespace.data.codeCommits).toEqual({ totalCount: 0, edges: [] });

    const badSha = await app.graphql(`{ codeCommits(filter: { sha: "XYZ" }) { totalCount } }`);
    expect(badSha.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "filter.sha" });
    const dateCursor: any = await app.graphql(`{ codeCommits(first: 1) { pageInfo { endCursor } } }`);
    const mixed = await app.graphql(
      `query($after: String) { codeCommits(after: $after, orderBy: { field: CREATED_AT }) { totalCount } }`,
      {
        after: dateCursor.data.codeCommits.pageInfo.endCursor,
      },
    );
    expect(mixed.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "after" });
    const garbage = await app.graphql(`{ codeCommits(after: "garbage") { totalCount } }`);
    expect(garbage.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "after" });
  });

  it("finds commits through node(id)", async () => {
    const created = await app.graphql(REGISTER, { input: commitInput({ sha: sha(300) }) });
    const id = created.data!.registerCodeCommit.codeCommit.id;
    const result = await app.graphql(
      `query($id: ID!) { node(id: $id) { id ... on CodeCommit { sha repository namespace { name } } } }`,
      {
        id,
      },
    );
    expect(result.data!.node).toEqual({ id, sha: sha(300), repository: "github.com/acme/churn", namespace: { name: "ml" } });
    const missing = await app.graphql(`query($id: ID!) { node(id: $id) { id } }`, {
      id: globalId("CodeCommit", "00000000-0000-4000-8000-000000000002"),
    });
    expect(missing.data!.node).toBeNull();
  });
});
