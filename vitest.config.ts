import { defineConfig } from "vitest/config";
import { isPostgresReachable, testPostgresUrl } from "./server/testing/test-database.js";

// Integration tests run twice: on embedded PGlite and on a real Postgres server
// (scripts/services.sh up). With PEDIGREE_REQUIRE_SERVICES=1 (CI) a missing server fails the run
// instead of dropping the Postgres project.
export default defineConfig(async () => {
  const requireServices = process.env.PEDIGREE_REQUIRE_SERVICES === "1";
  const postgresUrl = testPostgresUrl();
  const postgresUp = await isPostgresReachable(postgresUrl);
  if (!postgresUp && requireServices) {
    throw new Error(`PEDIGREE_REQUIRE_SERVICES=1 but Postgres is not reachable at ${postgresUrl}. Run scripts/services.sh up.`);
  }
  if (!postgresUp) {
    console.warn(`[pedigree] Postgres not reachable at ${postgresUrl}: running integration tests on PGlite only.`);
  }
  const integration = ["server/**/*.int.test.ts", "graph/**/*.int.test.ts", "e2e/**/*.int.test.ts"];
  const shared = { testTimeout: 60_000, hookTimeout: 120_000, pool: "forks" as const };
  return {
    test: {
      projects: [
        { test: { ...shared, name: "unit", include: ["server/**/*.test.ts", "graph/**/*.test.ts"], exclude: integration } },
        { test: { ...shared, name: "pglite", include: integration, env: { PEDIGREE_TEST_DB: "pglite" } } },
        ...(postgresUp
          ? [{ test: { ...shared, name: "postgres", include: integration, env: { PEDIGREE_TEST_DB: "postgres" } } }]
          : []),
      ],
    },
  };
});
