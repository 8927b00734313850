import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config.js";
import { openLiveClient } from "../events/live-testing.js";
import { type TestApp, startTestApp } from "../testing/test-app.js";

const INTROSPECTION = "{ __schema { queryType { name } } }";
const MISSPELT_FIELD = "{ namespaces { edges { node { nme } } } }";
const MISSPELT_INPUT_FIELD = `mutation($input: RegisterNamespaceInput!) { registerNamespace(input: $input) { created } }`;

describe("PEDIGREE_INTROSPECTION", () => {
  it("is on by default and off when NODE_ENV=production, unless set", () => {
    expect(loadConfig({}).introspection).toBe(true);
    expect(loadConfig({ NODE_ENV: "production" }).introspection).toBe(false);
    expect(loadConfig({ NODE_ENV: "production", PEDIGREE_INTROSPECTION: "on" }).introspection).toBe(true);
    expect(loadConfig({ PEDIGREE_INTROSPECTION: "off" }).introspection).toBe(false);
    expect(() => loadConfig({ PEDIGREE_INTROSPECTION: "maybe" })).toThrow(/PEDIGREE_INTROSPECTION/);
  });
});

describe("with introspection on", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ config: { introspection: true } });
  });
  afterAll(async () => {
    await app?.close();
  });

  it("answers introspection and suggests field names", async () => {
    expect((await app.graphql(INTROSPECTION)).data).toEqual({ __schema: { queryType: { name: "Query" } } });
    expect((await app.graphql(MISSPELT_FIELD)).errors?.[0]?.message).toMatch(/Did you mean "name"/);
    const input = await app.graphql(MISSPELT_INPUT_FIELD, { input: { name: "x", nme: "y" } });
    expect(input.errors?.[0]?.message).toMatch(/Did you mean "name"/);
  });
});

describe("with introspection off", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ config: { introspection: false } });
  });
  afterAll(async () => {
    await app?.close();
  });

  it("refuses introspection", async () => {
    const result = await app.graphql(INTROSPECTION);
    expect(result.data ?? null).toBeNull();
    expect(result.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(result.errors?.[0]?.message).toMatch(/introspection/i);
  });

  it("hides field suggestions in validation and variable errors", async () => {
    const field = await app.graphql(MISSPELT_FIELD);
    expect(field.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(field.errors?.[0]?.message).toMatch(/Cannot query field "nme"/);
    expect(field.errors?.[0]?.message).not.toMatch(/Did you mean/);

    const input = await app.graphql(MISSPELT_INPUT_FIELD, { input: { name: "x", nme: "y" } });
    expect(input.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(input.errors?.[0]?.message).toMatch(/nme/);
    expect(input.errors?.[0]?.message).not.toMatch(/Did you mean/);
  });

  it("hides field suggestions over WebSocket too", async () => {
    const client = openLiveClient(app.url);
    try {
      const errors = await new Promise<ReadonlyArray<{ message: string; extensions?: Record<string, unknown> }>>(
        (resolve, reject) => {
          client.subscribe(
            { query: "subscription { driftAlerts { kin } }" },
            {
              next: (result) => resolve(result.errors ?? []),
              error: (error) => resolve(error as never),
              complete: () => reject(new Error("completed without an error")),
            },
          );
        },
      );
      expect(errors[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
      expect(errors[0]?.message).toMatch(/Cannot query field "kin"/);
      expect(errors[0]?.message).not.toMatch(/Did you mean/);
    } finally {
      await client.dispose();
    }
  });

  it("still answers ordinary queries", async () => {
    expect((await app.graphql("{ namespaces { totalCount } }")).errors).toBeUndefined();
  });
});

describe("CSRF prevention", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  const mutation = JSON.stringify({ query: `mutation { registerNamespace(input: { name: "csrf" }) { created } }` });

  it.each(["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"])(
    "refuses a simple-request POST (%s) without a preflight-forcing header, writing nothing",
    async (contentType) => {
      const before = await app.countRows(["namespace", "audit_event"]);
      const response = await fetch(`${app.url}/graphql`, {
        method: "POST",
        headers: { "content-type": contentType },
        body: mutation,
      });
      expect(response.status).toBe(400);
      expect(await response.text()).toMatch(/Cross-Site Request Forgery/);
      expect(await app.countRows(["namespace", "audit_event"])).toEqual(before);
    },
  );

  it("refuses a GET without a preflight-forcing header, and answers one that has it", async () => {
    const url = `${app.url}/graphql?query=${encodeURIComponent("{ __typename }")}`;
    expect((await fetch(url)).status).toBe(400);
    const allowed = await fetch(url, { headers: { "apollo-require-preflight": "true" } });
    expect(allowed.status).toBe(200);
    expect(await allowed.json()).toEqual({ data: { __typename: "Query" } });
  });
});
