import { Redis } from "ioredis";
import neo4j from "neo4j-driver";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { serviceUrls } from "../server/testing/service-urls.js";

// The real services started by scripts/services.sh; later capabilities depend on each answering.
describe("development services (scripts/services.sh up)", () => {
  const urls = serviceUrls();

  it("PostgreSQL answers and lets the test role create databases", async () => {
    const client = new pg.Client({ connectionString: urls.postgres });
    await client.connect();
    try {
      const { rows } = await client.query(
        "SELECT current_setting('server_version_num')::int AS version, rolcreatedb FROM pg_roles WHERE rolname = current_user",
      );
      expect(rows[0].version).toBeGreaterThanOrEqual(150000);
      expect(rows[0].rolcreatedb).toBe(true);
    } finally {
      await client.end();
    }
  });

  it("Redis answers with AOF on and noeviction, as BullMQ requires", async () => {
    const redis = new Redis(urls.redis, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    try {
      expect(await redis.ping()).toBe("PONG");
      expect(await redis.config("GET", "maxmemory-policy")).toEqual(["maxmemory-policy", "noeviction"]);
      expect(await redis.config("GET", "appendonly")).toEqual(["appendonly", "yes"]);
    } finally {
      redis.disconnect();
    }
  });

  it("Neo4j 5 answers Cypher over Bolt", async () => {
    const driver = neo4j.driver(urls.neo4j, neo4j.auth.basic("neo4j", "unused"));
    try {
      const session = driver.session();
      try {
        const marker = `probe-${Date.now()}`;
        await session.run("CREATE (:ServiceProbe { marker: $marker })", { marker });
        const result = await session.run("MATCH (p:ServiceProbe { marker: $marker }) RETURN count(p) AS n", { marker });
        expect(result.records[0]?.get("n").toNumber()).toBe(1);
        await session.run("MATCH (p:ServiceProbe { marker: $marker }) DELETE p", { marker });
      } finally {
        await session.close();
      }
      const info = await driver.getServerInfo();
      expect(info.agent).toMatch(/^Neo4j\/5\./);
    } finally {
      await driver.close();
    }
  });
});
