import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { type TestApp, startTestApp } from "../testing/test-app.js";
import { testDatabaseKind } from "../testing/test-database.js";
import { API_TOKEN_PATTERN, generateApiTokenSecret } from "./api-token-secret.js";
import { runAdminTokenCommand } from "./admin-token-command.js";
import { systemMeta } from "./identity.service.js";

const WRITE_TABLES = ["namespace", "audit_event", "graph_outbox", "api_token", "user_account", "role_binding"];
const REGISTER = `mutation($name: String!) { registerNamespace(input: { name: $name }) { namespace { id } } }`;
const CREATE_TOKEN = `mutation($input: CreateApiTokenInput!) {
  createApiToken(input: $input) { secret apiToken { id name state expiresAt lastUsedAt } }
}`;

function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Opens a graphql-transport-ws connection and reports whether the server acknowledged or closed it. */
function connectWebSocket(
  url: string,
  options: { payload?: Record<string, unknown>; headers?: Record<string, string> } = {},
): Promise<{ acknowledged: true; socket: WebSocket } | { acknowledged: false; code: number; reason: string }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${url.replace(/^http/, "ws")}/graphql`, "graphql-transport-ws", {
      headers: options.headers ?? {},
    });
    socket.once("open", () => socket.send(JSON.stringify({ type: "connection_init", payload: options.payload ?? {} })));
    socket.on("message", (data) => {
      const message = JSON.parse(String(data)) as { type: string };
      if (message.type === "connection_ack") resolve({ acknowledged: true, socket });
    });
    socket.once("close", (code, reason) => resolve({ acknowledged: false, code, reason: reason.toString() }));
    socket.once("error", reject);
  });
}

describe("identities and API tokens", () => {
  let app: TestApp;
  let adminToken: string;
  let quickStart: { first: string | undefined; second: unknown };

  async function lastUsedAt(tokenId: string): Promise<Date | null> {
    const { rows } = await app.db.pool.query<{ last_used_at: Date | null }>(
      "SELECT last_used_at FROM api_token WHERE id = $1::uuid",
      [tokenId],
    );
    return rows[0]?.last_used_at ?? null;
  }

  async function newToken(name: string, headers = bearer(adminToken), expiresAt?: string) {
    const created = await app.graphql(CREATE_TOKEN, { input: { name, ...(expiresAt ? { expiresAt } : {}) } }, headers);
    expect(created.errors).toBeUndefined();
    const payload = created.data!.createApiToken as { secret: string; apiToken: { id: string } };
    const tokenId = Buffer.from(payload.apiToken.id, "base64url").toString().split(":")[1]!;
    return { secret: payload.secret, id: payload.apiToken.id, tokenId };
  }

  beforeAll(async () => {
    app = await startTestApp();
    // What `npm start` does on an empty embedded database (server/main.ts).
    const first = await app.services.identity.ensureLocalAdmin(systemMeta("system:quick-start"));
    const second = await app.services.identity.ensureLocalAdmin(systemMeta("system:quick-start"));
    quickStart = { first: first?.issued.secret, second };
    const { issued } = await app.services.identity.issueAdminToken(systemMeta("test"), {
      email: "Admin@Example.com",
      name: "test",
    });
    adminToken = issued.secret;
  });
  afterAll(async () => {
    await app?.close();
  });

  it("quick start: creates a local admin with a token once, then never again", async () => {
    expect(quickStart.first).toMatch(API_TOKEN_PATTERN);
    expect(quickStart.second).toBeUndefined();
    const me = await app.graphql(`{ me { email roles { role } } }`, {}, bearer(quickStart.first!));
    expect(me.data!.me).toEqual({ email: "admin@localhost", roles: [{ role: "ADMIN" }] });
  });

  it("creates a token, shows its secret once and stores only its SHA-256", async () => {
    const { secret, id, tokenId } = await newToken("ci-pipeline");
    expect(secret).toMatch(API_TOKEN_PATTERN);

    const { rows } = await app.db.pool.query<Record<string, unknown>>("SELECT * FROM api_token WHERE id = $1::uuid", [tokenId]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).toBe(sha256(secret));
    expect(JSON.stringify(rows)).not.toContain(secret.slice(4));
    const audit = await app.db.pool.query<{ before: unknown; after: unknown }>(
      "SELECT before, after FROM audit_event WHERE target_id = $1",
      [tokenId],
    );
    expect(audit.rows).toHaveLength(1);
    expect(JSON.stringify(audit.rows)).not.toContain(secret.slice(4));
    expect(JSON.stringify(audit.rows)).not.toContain(sha256(secret));

    // Listing never offers the secret: the field does not exist outside the create payload.
    const listed = await app.graphql(`{ apiTokens { id name state } }`, {}, bearer(adminToken));
    expect(listed.data!.apiTokens).toContainEqual({ id, name: "ci-pipeline", state: "ACTIVE" });
    const secretField = await app.graphql(`{ apiTokens { secret } }`, {}, bearer(adminToken));
    expect(secretField.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
  });

  it("makes the token's user the actor of HTTP requests and of their audit events", async () => {
    const { secret } = await newToken("writer");
    const me = await app.graphql(`{ me { email roles { role namespaceId } } }`, {}, bearer(secret));
    expect(me.data!.me).toEqual({ email: "admin@example.com", roles: [{ role: "ADMIN", namespaceId: null }] });

    // The actor header only names anonymous callers; a token's user cannot be impersonated by it.
    const written = await app.graphql(REGISTER, { name: "identity-http" }, { ...bearer(secret), "x-pedigree-actor": "mallory" });
    expect(written.errors).toBeUndefined();
    const { rows } = await app.db.pool.query<{ actor: string }>(
      "SELECT actor FROM audit_event WHERE action = 'namespace.registered' AND after->>'name' = 'identity-http'",
    );
    expect(rows).toEqual([{ actor: "admin@example.com" }]);
  });

  it("keeps anonymous requests working and answers `me` with null", async () => {
    const me = await app.graphql(`{ me { email } }`);
    expect(me.status).toBe(200);
    expect(me.data!.me).toBeNull();
    const written = await app.graphql(REGISTER, { name: "identity-anonymous" });
    expect(written.errors).toBeUndefined();
    const refused = await app.graphql(CREATE_TOKEN, { input: { name: "mine" } });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: "UNAUTHENTICATED", reason: "MISSING" });
  });

  it("sets lastUsedAt on use, at most once per interval", async () => {
    const { secret, tokenId } = await newToken("reader");
    expect(await lastUsedAt(tokenId)).toBeNull();
    await app.graphql(`{ me { email } }`, {}, bearer(secret));
    const first = await lastUsedAt(tokenId);
    expect(first).toBeInstanceOf(Date);
    await app.graphql(`{ me { email } }`, {}, bearer(secret));
    expect(await lastUsedAt(tokenId)).toEqual(first);
  });

  describe("refuses bad tokens with 401 UNAUTHENTICATED and writes nothing", () => {
    async function expectRefused(headers: Record<string, string>, reason: string) {
      const before = await app.countRows(WRITE_TABLES);
      const response = await app.graphql(REGISTER, { name: `refused-${reason}` }, headers);
      expect(response.status).toBe(401);
      expect(response.data).toBeUndefined();
      expect(response.errors).toEqual([{ message: expect.any(String), extensions: { code: "UNAUTHENTICATED", reason } }]);
      expect(await app.countRows(WRITE_TABLES)).toEqual(before);
      // The REST routes are behind the same check.
      const rest = await fetch(`${app.url}/v1/deployments/whatever/predict`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ instances: [{}] }),
      });
      expect(rest.status).toBe(401);
      expect(((await rest.json()) as { errors: Array<{ extensions: unknown }> }).errors[0]!.extensions).toEqual({
        code: "UNAUTHENTICATED",
        reason,
      });
    }

    it("malformed", async () => {
      await expectRefused({ authorization: "Basic dXNlcjpwYXNz" }, "MALFORMED");
      await expectRefused(bearer("not-a-pedigree-token"), "MALFORMED");
      await expectRefused({ authorization: "Bearer" }, "MALFORMED");
    });

    it("unknown", async () => {
      await expectRefused(bearer(generateApiTokenSecret()), "UNKNOWN");
    });

    it("expired", async () => {
      const { secret, tokenId } = await newToken("short-lived", bearer(adminToken), new Date(Date.now() + 60_000).toISOString());
      await app.db.pool.query("UPDATE api_token SET expires_at = now() - interval '1 second' WHERE id = $1::uuid", [tokenId]);
      await expectRefused(bearer(secret), "EXPIRED");
      expect(await lastUsedAt(tokenId)).toBeNull();
      const listed = await app.graphql(`{ apiTokens { name state } }`, {}, bearer(adminToken));
      expect(listed.data!.apiTokens).toContainEqual({ name: "short-lived", state: "EXPIRED" });
    });

    it("revoked", async () => {
      const { secret, id, tokenId } = await newToken("to-revoke");
      const revoked = await app.graphql(
        `mutation($id: ID!) { revokeApiToken(id: $id) { state revokedAt } }`,
        { id },
        bearer(adminToken),
      );
      expect(revoked.data!.revokeApiToken).toMatchObject({ state: "REVOKED", revokedAt: expect.any(String) });
      const audit = await app.db.pool.query(
        "SELECT actor FROM audit_event WHERE target_id = $1 AND action = 'api_token.revoked'",
        [tokenId],
      );
      expect(audit.rows).toEqual([{ actor: "admin@example.com" }]);
      await expectRefused(bearer(secret), "REVOKED");
    });
  });

  it("refuses an expiry in the past and writes nothing", async () => {
    const before = await app.countRows(WRITE_TABLES);
    const response = await app.graphql(
      CREATE_TOKEN,
      { input: { name: "late", expiresAt: new Date(Date.now() - 1000).toISOString() } },
      bearer(adminToken),
    );
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.expiresAt" });
    expect(await app.countRows(WRITE_TABLES)).toEqual(before);
  });

  it("hides other users' tokens and lets only an ADMIN create users", async () => {
    const created = await app.graphql(
      `mutation { createUser(input: { email: "viewer@example.com", role: VIEWER }) { id email } }`,
      {},
      bearer(adminToken),
    );
    expect(created.errors).toBeUndefined();
    const userId = (created.data!.createUser as { id: string }).id;
    const viewerToken = await newToken("viewer-token", bearer(adminToken));
    const forViewer = await app.graphql(CREATE_TOKEN, { input: { name: "issued", userId } }, bearer(adminToken));
    const viewerSecret = (forViewer.data!.createApiToken as { secret: string }).secret;

    const me = await app.graphql(`{ me { email } apiTokens { name } }`, {}, bearer(viewerSecret));
    expect(me.data).toEqual({ me: { email: "viewer@example.com" }, apiTokens: [{ name: "issued" }] });
    const before = await app.countRows(WRITE_TABLES);
    const revokeOthers = await app.graphql(
      `mutation($id: ID!) { revokeApiToken(id: $id) { id } }`,
      { id: viewerToken.id },
      bearer(viewerSecret),
    );
    expect(revokeOthers.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    const createUser = await app.graphql(
      `mutation { createUser(input: { email: "x@example.com" }) { id } }`,
      {},
      bearer(viewerSecret),
    );
    expect(createUser.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    // Nothing is written but the audit record of the denied attempt.
    expect(await app.countRows(WRITE_TABLES)).toEqual({ ...before, audit_event: (before.audit_event ?? 0) + 1 });
    const { rows } = await app.db.pool.query<{ action: string; actor: string; target_id: string }>(
      "SELECT action, actor, target_id FROM audit_event ORDER BY id DESC LIMIT 1",
    );
    expect(rows[0]).toEqual({ action: "access.denied", actor: "viewer@example.com", target_id: "mutation createUser" });
  });

  describe("on WebSocket", () => {
    it("accepts a valid token in connectionParams or in the upgrade request's header", async () => {
      const { secret } = await newToken("ws");
      for (const options of [
        { payload: { authorization: `Bearer ${secret}` } },
        { payload: { token: secret } },
        { headers: bearer(secret) },
      ]) {
        const result = await connectWebSocket(app.url, options);
        expect(result.acknowledged).toBe(true);
        if (result.acknowledged) result.socket.close();
      }
      const anonymous = await connectWebSocket(app.url);
      expect(anonymous.acknowledged).toBe(true);
      if (anonymous.acknowledged) anonymous.socket.close();
    });

    it("refuses the connection (4401) for malformed, forged, unknown, expired and revoked tokens", async () => {
      const revoked = await newToken("ws-revoked");
      await app.graphql(`mutation($id: ID!) { revokeApiToken(id: $id) { id } }`, { id: revoked.id }, bearer(adminToken));
      const expired = await newToken("ws-expired");
      await app.db.pool.query("UPDATE api_token SET expires_at = now() - interval '1 second' WHERE id = $1::uuid", [
        expired.tokenId,
      ]);
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ authorization: "Token abc" }, "MALFORMED"],
        [{ token: { forged: true } }, "MALFORMED"],
        [{ token: generateApiTokenSecret() }, "UNKNOWN"],
        [{ token: expired.secret }, "EXPIRED"],
        [{ authorization: `Bearer ${revoked.secret}` }, "REVOKED"],
      ];
      for (const [payload, reason] of cases) {
        const result = await connectWebSocket(app.url, { payload });
        expect(result).toEqual({ acknowledged: false, code: 4401, reason: `UNAUTHENTICATED: ${reason}` });
      }
    });
  });

  it("`admin:token` creates or reuses the admin and prints a working token", async () => {
    let printed: string[] = [];
    if (testDatabaseKind() === "postgres") {
      // The real command, in its own process, against this test's database.
      const { stdout } = await promisify(execFile)("npx", ["tsx", "server/identity/cli.ts", "--email", "cli@example.com"], {
        env: { ...process.env, DATABASE_URL: app.db.url, LOG_LEVEL: "silent" },
      });
      printed = stdout.trim().split("\n");
    } else {
      // The embedded database lives in this process: run the command on it (and keep it open).
      const code = await runAdminTokenCommand(
        ["--email", "cli@example.com"],
        async () => ({ ...app.db, close: async () => undefined }),
        { stdout: (line) => printed.push(line), stderr: () => undefined },
      );
      expect(code).toBe(0);
    }
    expect(printed).toHaveLength(1);
    expect(printed[0]).toMatch(API_TOKEN_PATTERN);
    const me = await app.graphql(`{ me { email roles { role } } }`, {}, bearer(printed[0]!));
    expect(me.data!.me).toEqual({ email: "cli@example.com", roles: [{ role: "ADMIN" }] });
  });
});

describe("first admin from configuration", () => {
  let app: TestApp;
  const configuredToken = generateApiTokenSecret();

  beforeAll(async () => {
    app = await startTestApp({ config: { adminEmail: "root@example.com", adminToken: configuredToken } });
  });
  afterAll(async () => {
    await app?.close();
  });

  it("creates the admin with the configured token, stored hashed", async () => {
    const me = await app.graphql(`{ me { email roles { role namespaceId } } }`, {}, bearer(configuredToken));
    expect(me.data!.me).toEqual({ email: "root@example.com", roles: [{ role: "ADMIN", namespaceId: null }] });
    const { rows } = await app.db.pool.query<{ token_hash: string }>("SELECT token_hash FROM api_token");
    expect(rows).toEqual([{ token_hash: sha256(configuredToken) }]);
  });

  it("is idempotent across starts", async () => {
    const before = await app.countRows(WRITE_TABLES);
    await app.services.identity.bootstrapAdmin(systemMeta("test"), { email: "root@example.com", secret: configuredToken });
    expect(await app.countRows(WRITE_TABLES)).toEqual(before);
  });
});
