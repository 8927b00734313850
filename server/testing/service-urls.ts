import { testPostgresUrl } from "./test-database.js";

/** Addresses of the services scripts/services.sh starts (same defaults, same overrides). */
export function serviceUrls() {
  return {
    postgres: testPostgresUrl(),
    redis: process.env.PEDIGREE_TEST_REDIS_URL ?? `redis://127.0.0.1:${process.env.PEDIGREE_REDIS_PORT ?? 56379}`,
    neo4j: process.env.PEDIGREE_TEST_NEO4J_URL ?? `bolt://127.0.0.1:${process.env.PEDIGREE_NEO4J_PORT ?? 57687}`,
  };
}
