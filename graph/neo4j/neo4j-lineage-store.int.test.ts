import { afterAll, beforeAll } from "vitest";
import { lineageStoreContract } from "../lineage-store.contract.js";
import { Neo4jLineageStore } from "./neo4j-lineage-store.js";

// Runs against the Neo4j that scripts/services.sh starts (auth disabled). vitest.config.ts includes
// this file only in the "services" project, which exists when the services are up or required, so an
// unreachable server fails the run here rather than being skipped. Same default as
// server/testing/service-urls.ts (not imported: graph/ never imports from server/).
const url = process.env.PEDIGREE_TEST_NEO4J_URL ?? `bolt://127.0.0.1:${process.env.PEDIGREE_NEO4J_PORT ?? 57687}`;

let store: Neo4jLineageStore | undefined;

beforeAll(async () => {
  store = await Neo4jLineageStore.open({ url });
});

afterAll(async () => {
  await store?.close();
});

// Every contract test builds its graph from fresh UUIDs, so the shared database needs no cleanup.
lineageStoreContract("neo4j", () => store!);
