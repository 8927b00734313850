import { testDatabaseKind } from "../server/testing/test-database.js";
import { describeWorkerHost } from "./worker-host.suite.js";

// pglite project: BullMQ's PostgreSQL backend on its own embedded PGlite (the quick-start setup);
// postgres project: the same backend on the Postgres server of the record.
describeWorkerHost(testDatabaseKind(), (app) => ({
  redisUrl: undefined,
  databaseUrl: app.db.mode === "postgres" ? app.db.url : undefined,
  dataDir: undefined,
}));
