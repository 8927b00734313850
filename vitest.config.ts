import { createRequire } from "node:module";
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
  const integration = ["server/**/*.int.test.ts", "graph/**/*.int.test.ts", "workers/**/*.int.test.ts"];
  // Tests that need Redis or Neo4j (started by scripts/services.sh) run once, in their own project.
  const services = [
    "e2e/services.int.test.ts",
    "graph/neo4j/*.int.test.ts",
    "server/**/*.services.int.test.ts",
    "workers/**/*.services.int.test.ts",
  ];
  const shared = { testTimeout: 60_000, hookTimeout: 120_000, pool: "forks" as const };
  // graphql ships CJS ("main") and ESM ("module") builds. Node (and so type-graphql, Apollo and the
  // running server) loads the CJS one; Vite would give our sources the ESM one, and instanceof
  // checks across the two copies fail. Pin every import to the copy Node uses.
  const graphqlEntry = createRequire(import.meta.url).resolve("graphql");
  return {
    resolve: { alias: [{ find: /^graphql$/, replacement: graphqlEntry }] },
    test: {
      projects: [
        {
          extends: true as const,
          test: {
            ...shared,
            name: "unit",
            include: ["server/**/*.test.ts", "graph/**/*.test.ts", "workers/**/*.test.ts", "bench/**/*.test.ts"],
            exclude: integration,
          },
        },
        {
          extends: true as const,
          test: { ...shared, name: "pglite", include: integration, exclude: services, env: { PEDIGREE_TEST_DB: "pglite" } },
        },
        ...(postgresUp
          ? [
              {
                extends: true as const,
                test: {
                  ...shared,
                  name: "postgres",
                  include: integration,
                  exclude: services,
                  env: { PEDIGREE_TEST_DB: "postgres" },
                },
              },
              { extends: true as const, test: { ...shared, name: "services", include: services } },
            ]
          : []),
      ],
    },
  };
});
