import { describe, expect, it } from "vitest";
import { loadConfig } from "../config.js";
import { createLogger, maskUrlCredentials } from "./logger.js";

const SECRETS = ["ptk_live_secret", "hunter2", "redis-pass", "neo4j-pass", "ws-token", "cookie-value", "qs-token"];

function captured(log: (logger: ReturnType<typeof createLogger>) => void): string {
  const lines: string[] = [];
  const logger = createLogger("info", { write: (line: string) => lines.push(line) });
  log(logger);
  return lines.join("");
}

describe("createLogger", () => {
  it("never writes authorization headers, connectionParams, tokens or passwords", () => {
    const output = captured((logger) => {
      logger.info({ req: { headers: { authorization: "Bearer ptk_live_secret", cookie: "cookie-value" } } }, "request");
      logger.info({ headers: { Authorization: "Bearer ptk_live_secret", "proxy-authorization": "Basic hunter2" } }, "outgoing");
      logger.warn({ connectionParams: { authToken: "ws-token" } }, "connection refused");
      logger.info({ token: "ptk_live_secret", user: { password: "hunter2" } }, "token created");
      logger.info({ created: { id: "t1", token: "ptk_live_secret" } }, "nested token");
    });
    for (const secret of SECRETS) expect(output).not.toContain(secret);
    expect(output).toContain('"authorization":"[redacted]"');
    expect(output).toContain('"connectionParams":"[redacted]"');
    expect(output).toContain('"id":"t1"');
  });

  it("keeps the host of connection URLs and masks their credentials, in a logged config too", () => {
    const config = loadConfig({
      DATABASE_URL: "postgres://pedigree:hunter2@db.internal:5432/pedigree?sslmode=require",
      REDIS_URL: "rediss://:redis-pass@cache.internal:6380",
      NEO4J_URL: "bolt+s://graph.internal:7687",
      NEO4J_USER: "neo4j",
      NEO4J_PASSWORD: "neo4j-pass",
    });
    const output = captured((logger) => {
      logger.info({ config }, "configuration");
      logger.info({ databaseUrl: "postgres://u:hunter2@h/db" }, "top level");
      logger.info({ env: { DATABASE_URL: "postgres://u:hunter2@h/db", REDIS_URL: "redis://:redis-pass@r:6379" } }, "env");
      logger.info({ url: "https://api.example/x?access_token=qs-token" }, "call");
    });
    for (const secret of SECRETS) expect(output).not.toContain(secret);
    expect(output).toContain("db.internal:5432");
    expect(output).toContain("cache.internal:6380");
    expect(output).toContain("bolt+s://graph.internal:7687");
    expect(output).toContain('"neo4jUser":"neo4j"');
  });

  it("masks an unreadable URL entirely", () => {
    expect(maskUrlCredentials("not a url with hunter2")).toBe("[redacted]");
    expect(maskUrlCredentials("postgres://u:p@h:1/d")).toBe("postgres://u:***@h:1/d");
  });
});
