import type { Client } from "graphql-ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openLiveClient } from "../events/live-testing.js";
import { type TestApp, startTestApp } from "../testing/test-app.js";
import { DEFAULT_MAX_DIRECTIVES } from "./query-limits.js";

interface WireError {
  message: string;
  extensions?: Record<string, unknown>;
}

/** The first error of an operation the WebSocket server refuses (as an error message or a result). */
async function wsRefusal(client: Client, query: string): Promise<WireError> {
  try {
    const results: Array<{ errors?: readonly WireError[] }> = [];
    for await (const result of client.iterate({ query })) results.push(result as { errors?: readonly WireError[] });
    expect(results).toHaveLength(1);
    return results[0]!.errors![0]!;
  } catch (error) {
    const errors = error as readonly WireError[];
    expect(Array.isArray(errors)).toBe(true);
    return errors[0]!;
  }
}

const directives = (count: number, field: string) => Array.from({ length: count }, () => `${field} @include(if: true)`).join(" ");

describe("the directive limit", () => {
  let app: TestApp;
  let client: Client;
  beforeAll(async () => {
    app = await startTestApp();
    client = openLiveClient(app.url);
  });
  afterAll(async () => {
    await client?.dispose();
    await app?.close();
  });

  it("refuses a directive bomb over HTTP with GRAPHQL_VALIDATION_FAILED and nothing executed", async () => {
    const result = await app.graphql(`{ ${directives(DEFAULT_MAX_DIRECTIVES + 1, "__typename")} }`);
    expect(result.status).toBe(400);
    expect(result.data ?? null).toBeNull();
    expect(result.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(result.errors?.[0]?.message).toMatch(
      new RegExp(`Directives limit of ${DEFAULT_MAX_DIRECTIVES} exceeded, found ${DEFAULT_MAX_DIRECTIVES + 1}`),
    );
  });

  it("counts the directives of fragments too", async () => {
    const half = Math.ceil((DEFAULT_MAX_DIRECTIVES + 1) / 2);
    const result = await app.graphql(
      `query { ${directives(half, "__typename")} ...F } fragment F on Query { ${directives(half, "__typename")} }`,
    );
    expect(result.errors?.[0]?.message).toMatch(/Directives limit/);
  });

  it("answers an operation within the limit", async () => {
    const result = await app.graphql(`{ ${directives(DEFAULT_MAX_DIRECTIVES, "__typename")} }`);
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ __typename: "Query" });
  });

  it("answers cyclic fragments with a validation error, not a crash", async () => {
    const result = await app.graphql(
      "query { ...A } fragment A on Query { __typename @include(if: true) ...B } fragment B on Query { ...A }",
    );
    expect(result.status).toBe(400);
    expect(result.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
  });

  it("refuses a directive bomb over WebSocket with the same error", async () => {
    const error = await wsRefusal(client, `subscription { driftAlerts { ${directives(DEFAULT_MAX_DIRECTIVES + 1, "kind")} } }`);
    expect(error.extensions).toMatchObject({ code: "GRAPHQL_VALIDATION_FAILED" });
    expect(error.message).toMatch(/Directives limit of \d+ exceeded/);
  });
});
