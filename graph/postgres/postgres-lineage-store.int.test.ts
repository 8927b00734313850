import { afterAll, beforeAll } from "vitest";
import { type Database, openDatabase } from "../../server/db/database.js";
import { type ScratchDatabase, createScratchDatabase, testDatabaseKind } from "../../server/testing/test-database.js";
import { lineageStoreContract } from "../lineage-store.contract.js";
import { PostgresLineageStore } from "./postgres-lineage-store.js";

// Runs the lineage contract on the recursive-CTE store, on PGlite or PostgreSQL per vitest project.
// (The test borrows server/'s migrated database helpers; graph/'s production code imports nothing from server/.)
let db: Database;
let scratch: ScratchDatabase | undefined;
let store: PostgresLineageStore;

beforeAll(async () => {
  if (testDatabaseKind() === "postgres") scratch = await createScratchDatabase();
  db = await openDatabase({ url: scratch?.url, dataDir: undefined });
  store = new PostgresLineageStore(db.pool);
});
afterAll(async () => {
  await db?.close();
  await scratch?.drop();
});

lineageStoreContract("postgres", () => store);
