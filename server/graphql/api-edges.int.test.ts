import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pino } from "pino";
import { type TestApp, startTestApp } from "../testing/test-app.js";

describe("the HTTP/GraphQL edge", () => {
  let app: TestApp;
  const logLines: string[] = [];
  beforeAll(async () => {
    app = await startTestApp({ logger: pino({ level: "error" }, { write: (line: string) => logLines.push(line) }) });
  });
  afterAll(async () => {
    await app?.close();
  });

  async function post(body: string, contentType = "application/json") {
    const response = await fetch(`${app.url}/graphql`, { method: "POST", headers: { "content-type": contentType }, body });
    return {
      status: response.status,
      body: (await response.json()) as { errors?: Array<{ message: string; extensions?: { code?: string } }> },
    };
  }

  it("answers a malformed query with GRAPHQL_PARSE_FAILED", async () => {
    const result = await app.graphql("{ namespaces { edges { node { name } }");
    expect(result.status).toBe(400);
    expect(result.errors?.[0]?.extensions?.code).toBe("GRAPHQL_PARSE_FAILED");
  });

  it("answers an unknown field with GRAPHQL_VALIDATION_FAILED and a suggestion", async () => {
    const result = await app.graphql("{ namespaces { edges { node { nme } } } }");
    expect(result.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(result.errors?.[0]?.message).toMatch(/Did you mean "name"/);
  });

  it("refuses a variable of the wrong type with BAD_USER_INPUT", async () => {
    const result = await app.graphql("query($first: Int) { namespaces(first: $first) { totalCount } }", { first: "ten" });
    expect(result.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("rejects queries that are too deep, too aliased or too long", async () => {
    const deep = `{ runs { edges { node { ${"parent { ".repeat(12)} id ${"} ".repeat(12)} } } } }`;
    const deepResult = await app.graphql(deep);
    expect(deepResult.data ?? null).toBeNull();
    expect(deepResult.errors?.[0]?.message).toMatch(/depth/i);
    expect(deepResult.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");

    const aliases = `{ ${Array.from({ length: 30 }, (_, i) => `a${i}: namespaces { totalCount }`).join(" ")} }`;
    const aliasResult = await app.graphql(aliases);
    expect(aliasResult.errors?.[0]?.message).toMatch(/alias/i);

    const tokens = `{ ${Array.from({ length: 6_000 }, () => "__typename").join(" ")} }`;
    const tokenResult = await app.graphql(tokens);
    expect(tokenResult.errors?.[0]?.extensions?.code).toBe("GRAPHQL_PARSE_FAILED");
    expect(tokenResult.errors?.[0]?.message).toMatch(/more th\w+ 5000 tokens/i);
  });

  it("answers an oversized body with 413 PAYLOAD_TOO_LARGE and a non-JSON body with 400", async () => {
    const huge = JSON.stringify({ query: "{ __typename }", variables: { blob: "x".repeat(3 * 1024 * 1024) } });
    const tooLarge = await post(huge);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.errors?.[0]?.extensions?.code).toBe("PAYLOAD_TOO_LARGE");
    const notJson = await post("{ this is not json");
    expect(notJson.status).toBe(400);
    expect(notJson.body.errors?.[0]?.extensions?.code).toBe("BAD_REQUEST");
  });

  it.each([
    [
      "a NUL in a description",
      `mutation($v: String) { registerNamespace(input: { name: "nul", description: $v }) { created } }`,
      { v: "a\u0000b" },
      "input.description",
    ],
    ["a NUL in a scalar argument", `query($v: String!) { namespace(name: $v) { id } }`, { v: "\u0000" }, "name"],
    ["a control character in a list argument", `query($v: [ID!]!) { nodes(ids: $v) { id } }`, { v: ["a\u0007"] }, "ids[0]"],
    [
      "a lone surrogate in a name",
      `mutation($v: String!) { registerNamespace(input: { name: $v }) { created } }`,
      { v: "half \ud800 a pair" },
      "input.name",
    ],
    [
      "a lone surrogate in a JSON key",
      `mutation($v: JSONObject) { startRun(input: { namespace: "nul", job: "j", hyperparameters: $v }) { created } }`,
      { v: { "\udc00": 1 } },
      "input.hyperparameters",
    ],
    [
      "a NUL in a JSON key",
      `mutation($v: JSONObject) { startRun(input: { namespace: "nul", job: "j", hyperparameters: $v }) { created } }`,
      { v: { "a\u0000": 1 } },
      "input.hyperparameters",
    ],
    [
      "JSON nested 3,000 levels deep",
      `mutation($v: JSONObject) { startRun(input: { namespace: "nul", job: "j", hyperparameters: $v }) { created } }`,
      { v: JSON.parse(`${'{"a":'.repeat(3_000)}1${"}".repeat(3_000)}`) },
      "input.hyperparameters.a.a",
    ],
    [
      "a repository too long in bytes for its index",
      `mutation($v: String!) { registerCodeCommit(input: { namespace: "nul", repository: $v, sha: "abcdef1" }) { created } }`,
      { v: `https://x/${"漢".repeat(1_000)}` },
      "input.repository",
    ],
  ])("refuses %s with BAD_USER_INPUT and writes nothing", async (_label, query, variables, field) => {
    const tables = ["namespace", "job", "run", "code_commit", "audit_event", "graph_outbox"];
    const before = await app.countRows(tables);
    const result = await app.graphql(query, variables);
    expect(result.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(String(result.errors?.[0]?.extensions?.field)).toContain(field);
    expect(await app.countRows(tables)).toEqual(before);
  });

  it("refuses dates outside 1900–9999", async () => {
    const result = await app.graphql(`{ auditEvents(filter: { since: "0000-01-01T00:00:00Z" }) { totalCount } }`);
    expect(result.errors?.[0]?.extensions?.code).toMatch(/BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/);
    expect(result.errors?.[0]?.message).toMatch(/between 1900/);
    const variable = await app.graphql(`query($t: DateTime) { auditEvents(filter: { since: $t }) { totalCount } }`, {
      t: "0000-01-01T00:00:00Z",
    });
    expect(variable.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("rejects ids that do not decode", async () => {
    const result = await app.graphql(`{ node(id: "bm9wZQ") { id } }`);
    expect(result.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", field: "id" } });
    const unknown = await app.graphql(
      `{ node(id: "${Buffer.from("Run:00000000-0000-4000-8000-000000000000").toString("base64url")}") { id } }`,
    );
    expect(unknown.errors).toBeUndefined();
    expect(unknown.data!.node).toBeNull();
  });

  it("masks unexpected failures: no SQL, no stack, just INTERNAL_SERVER_ERROR", async () => {
    await app.db.pool.query("ALTER TABLE namespace RENAME TO namespace_moved");
    try {
      const result = await app.graphql("{ namespaces { totalCount } }", {}, { "x-request-id": "trace-me" });
      expect(result.errors?.[0]).toEqual({
        message: "Internal server error.",
        locations: [{ line: 1, column: 3 }],
        path: ["namespaces"],
        extensions: { code: "INTERNAL_SERVER_ERROR" },
      });
      expect(JSON.stringify(result)).not.toMatch(/namespace_moved|relation|SELECT|prisma|\.ts:/i);
      // The cause is in the log, with the request id the client saw.
      const logged = logLines.map((line) => JSON.parse(line)).find((entry) => entry.requestId === "trace-me");
      expect(logged).toMatchObject({ msg: "unexpected error in GraphQL request", path: ["namespaces"] });
      expect(JSON.stringify(logged.err)).toMatch(/namespace/);
    } finally {
      await app.db.pool.query("ALTER TABLE namespace_moved RENAME TO namespace");
    }
  });

  it("echoes a well-formed x-request-id and records it in the audit event", async () => {
    const response = await fetch(`${app.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-request-id": "req-42", "x-pedigree-actor": "dana" },
      body: JSON.stringify({ query: `mutation { registerNamespace(input: { name: "traced" }) { created } }` }),
    });
    expect(response.headers.get("x-request-id")).toBe("req-42");
    const { rows } = await app.db.pool.query(
      "SELECT actor, request_id FROM audit_event WHERE action = 'namespace.registered' ORDER BY id DESC LIMIT 1",
    );
    expect(rows[0]).toEqual({ actor: "dana", request_id: "req-42" });
    const forged = await fetch(`${app.url}/healthz`, { headers: { "x-request-id": "bad id with spaces" } });
    expect(forged.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("serves the Apollo sandbox to browsers", async () => {
    const page = await fetch(`${app.url}/graphql`, { headers: { accept: "text/html" } });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/sandbox/i);
  });

  it("serves /healthz, /readyz and Prometheus /metrics", async () => {
    expect(await (await fetch(`${app.url}/healthz`)).json()).toEqual({ status: "ok" });
    const ready = await fetch(`${app.url}/readyz`);
    expect(ready.status).toBe(200);
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toMatch(/pedigree_http_request_duration_seconds_bucket/);
    expect(metrics).toMatch(/pedigree_process_cpu_seconds_total/);
    // Errors of the earlier tests were counted by the code clients saw.
    expect(metrics).toMatch(/pedigree_graphql_errors_total\{code="INTERNAL_SERVER_ERROR"\} [1-9]/);
    expect(metrics).toMatch(/pedigree_graphql_errors_total\{code="BAD_USER_INPUT"\} [1-9]/);
    // Unknown paths share one label instead of adding a series each.
    await fetch(`${app.url}/no/such/path-1`);
    await fetch(`${app.url}/no/such/path-2`);
    const after = await (await fetch(`${app.url}/metrics`)).text();
    expect(after).not.toMatch(/path-1|path-2/);
    expect(after).toMatch(/route="unmatched"/);
  });
});
