import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config.js";
import { type TestApp, startTestApp } from "../testing/test-app.js";
import { ADDRESS_CEILING_FACTOR } from "./rate-limit.js";

const PER_MINUTE = 3;

async function graphqlStatus(app: TestApp, headers: Record<string, string> = {}) {
  const response = await fetch(`${app.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query: "{ __typename }" }),
  });
  return { response, body: (await response.json()) as { errors?: Array<{ extensions?: Record<string, unknown> }> } };
}

function expectRateLimited(response: Response, body: { errors?: Array<{ extensions?: Record<string, unknown> }> }) {
  expect(response.status).toBe(429);
  const retryAfter = Number(response.headers.get("retry-after"));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(body.errors?.[0]?.extensions).toMatchObject({ code: "RATE_LIMITED", retryAfterSeconds: retryAfter });
}

describe("PEDIGREE_RATE_LIMIT_PER_MINUTE", () => {
  it("defaults to 6000 per minute, 0 turns limiting off", () => {
    expect(loadConfig({}).rateLimitPerMinute).toBe(6_000);
    expect(loadConfig({ PEDIGREE_RATE_LIMIT_PER_MINUTE: "0" }).rateLimitPerMinute).toBe(0);
    expect(() => loadConfig({ PEDIGREE_RATE_LIMIT_PER_MINUTE: "-1" })).toThrow(/PEDIGREE_RATE_LIMIT_PER_MINUTE/);
  });
});

describe("rate limits per client", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ config: { rateLimitPerMinute: PER_MINUTE } });
  });
  afterAll(async () => {
    await app?.close();
  });

  it("gives each bearer token its own budget and answers 429 RATE_LIMITED with Retry-After past it", async () => {
    // Counting comes before token verification (so guessing tokens is limited too): these unknown
    // tokens are admitted by the limiter, whatever authentication then answers.
    const tokenA = { authorization: "Bearer token-a" };
    for (let k = 0; k < PER_MINUTE; k++) {
      const { response } = await graphqlStatus(app, tokenA);
      expect(response.status).not.toBe(429);
      expect(response.headers.get("ratelimit-remaining")).toBe(String(PER_MINUTE - k - 1));
    }
    const refused = await graphqlStatus(app, tokenA);
    expectRateLimited(refused.response, refused.body);
    // Another token has its own budget; the same token on REST /v1 shares this one.
    const tokenB = await graphqlStatus(app, { authorization: "Bearer token-b" });
    expect(tokenB.response.status).not.toBe(429);
    expect(tokenB.response.headers.get("ratelimit-remaining")).toBe(String(PER_MINUTE - 1));
    const rest = await fetch(`${app.url}/v1/deployments/any/predict?namespace=x`, {
      method: "POST",
      headers: { "content-type": "application/json", ...tokenA },
      body: JSON.stringify({ rows: [{ a: 1 }] }),
    });
    expectRateLimited(rest, (await rest.json()) as never);
  });

  it("counts requests without a token per client address, on GraphQL and REST /v1 alike", async () => {
    for (let k = 0; k < PER_MINUTE - 1; k++) expect((await graphqlStatus(app)).response.status).toBe(200);
    const rest = await fetch(`${app.url}/v1/deployments/none/predict?namespace=x`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ rows: [{ a: 1 }] }),
    });
    expect(rest.status).toBe(404);
    const refused = await graphqlStatus(app);
    expectRateLimited(refused.response, refused.body);
    const restRefused = await fetch(`${app.url}/v1/deployments/none/predict?namespace=x`, { method: "POST" });
    expectRateLimited(restRefused, (await restRefused.json()) as never);
  });

  it("caps one address however many bearer strings it invents", async () => {
    let firstRefusal: number | undefined;
    for (let k = 0; k < PER_MINUTE * ADDRESS_CEILING_FACTOR + 1 && firstRefusal === undefined; k++) {
      const { response } = await graphqlStatus(app, { authorization: `Bearer invented-${k}` });
      if (response.status === 429) firstRefusal = k;
    }
    // The first test sent PER_MINUTE + 3 bearer requests from this address (refused ones count too).
    expect(firstRefusal).toBe(PER_MINUTE * ADDRESS_CEILING_FACTOR - (PER_MINUTE + 3));
  });

  it("leaves health and metrics endpoints unlimited", async () => {
    for (let k = 0; k < PER_MINUTE + 1; k++) expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });
});

describe("with rate limiting off", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ config: { rateLimitPerMinute: 0 } });
  });
  afterAll(async () => {
    await app?.close();
  });

  it("answers every request and sends no rate-limit headers", async () => {
    for (let k = 0; k < 20; k++) {
      const { response } = await graphqlStatus(app);
      expect(response.status).toBe(200);
      expect(response.headers.get("ratelimit-limit")).toBeNull();
    }
  });
});
