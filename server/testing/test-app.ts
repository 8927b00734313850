import { type PedigreeApp, startApp } from "../app.js";
import { type PedigreeConfig, loadConfig } from "../config.js";
import type { QueryLimits } from "../graphql/query-limits.js";
import type { RoleName } from "../access/role.js";
import { systemMeta } from "../identity/identity.service.js";
import { type Logger, createLogger } from "../lib/logger.js";
import { type ScratchDatabase, createScratchDatabase, testDatabaseKind } from "./test-database.js";

export interface GraphQLResponse<TData = Record<string, any>> {
  status: number;
  data?: TData | null;
  errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, unknown> }>;
}

export interface TestApp extends PedigreeApp {
  /** POSTs one operation to /graphql and returns the parsed body and status. */
  graphql<TData = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<TData>>;
  /** Row counts of the given tables (to prove that a failed mutation wrote nothing). */
  countRows(tables: string[]): Promise<Record<string, number>>;
  /**
   * A new user bound to `role` (globally, or in the named namespace, which must exist) and a bearer
   * secret for it: what tests of authorization call the API with.
   */
  tokenFor(role: RoleName, namespace?: string): Promise<{ secret: string; userId: string; headers: Record<string, string> }>;
}

/**
 * Starts the real app on a random port against the test database of this vitest project
 * (a fresh in-memory PGlite, or a fresh database on the Postgres server).
 */
export async function startTestApp(
  options: {
    limits?: QueryLimits;
    logger?: Logger;
    /** Settings over the defaults (e.g. `neo4jUrl`). */
    config?: Partial<PedigreeConfig>;
    /** Database to run on. @defaultValue the vitest project's (PEDIGREE_TEST_DB) */
    database?: "postgres" | "pglite";
  } = {},
): Promise<TestApp> {
  let scratch: ScratchDatabase | undefined;
  if ((options.database ?? testDatabaseKind()) === "postgres") scratch = await createScratchDatabase();
  // Workers stay off unless a test asks for them: most tests need no queue store.
  const config = {
    ...loadConfig({}),
    inProcessWorkers: false,
    // Tests fire requests far faster than any client; a test that checks limits sets its own.
    rateLimitPerMinute: 0,
    // Tests of features call the API without a token and act as an ADMIN (named by x-pedigree-actor);
    // tests of authorization turn this off (anonymousRole: null, the production default) and use tokenFor.
    anonymousRole: "ADMIN" as RoleName | null,
    ...options.config,
    port: 0,
    host: "127.0.0.1",
    databaseUrl: scratch?.url,
  };
  const app = await startApp({
    config,
    inMemory: true,
    logger: options.logger ?? createLogger(process.env.PEDIGREE_TEST_LOG_LEVEL ?? "silent"),
    ...(options.limits ? { limits: options.limits } : {}),
  });
  let tokenSerial = 0;
  return {
    ...app,
    async graphql(query, variables, headers) {
      const response = await fetch(`${app.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as GraphQLResponse;
      return { ...body, status: response.status } as never;
    },
    async tokenFor(role, namespace) {
      tokenSerial += 1;
      const email = `${role.toLowerCase()}-${tokenSerial}-${Date.now()}@test.local`;
      const system = systemMeta("test");
      const { user, issued } = await app.services.identity.issueAdminToken(system, { email, name: "test", expiresAt: null });
      // issueAdminToken binds ADMIN globally; replace it with the role under test.
      await app.services.identity.grantRole(system, { userId: user.id, role, namespace });
      if (role !== "ADMIN" || namespace) {
        await app.services.identity.revokeRole(system, { userId: user.id, role: "ADMIN", namespace: null });
      }
      return { secret: issued.secret, userId: user.id, headers: { authorization: `Bearer ${issued.secret}` } };
    },
    async countRows(tables) {
      const counts: Record<string, number> = {};
      for (const table of tables) {
        const { rows } = await app.db.pool.query<{ count: number }>(`SELECT count(*)::int AS count FROM "${table}"`);
        counts[table] = rows[0]?.count ?? 0;
      }
      return counts;
    },
    async close() {
      await app.close();
      await scratch?.drop();
    },
  };
}
