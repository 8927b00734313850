/**
 * `npm run graph:rebuild`: re-projects the Neo4j lineage graph from the Postgres system of record
 * (after restoring Neo4j from nothing, or when it is suspected to have drifted). Reads the same
 * environment as the server (DATABASE_URL or the embedded data folder, NEO4J_URL).
 */
import { SingleBar } from "cli-progress";
import { Neo4jLineageStore } from "../../graph/neo4j/neo4j-lineage-store.js";
import { loadConfig } from "../config.js";
import { openDatabase } from "../db/database.js";
import { GraphProjectionRepository } from "./graph-projection.repository.js";
import { rebuildGraphProjection } from "./graph-rebuild.js";
import { NEO4J_PROJECTION } from "./lineage-runtime.js";

const config = loadConfig();
if (!config.neo4jUrl) {
  console.error(
    "graph:rebuild needs NEO4J_URL (the Neo4j to rebuild). Without it lineage is served from Postgres and there is nothing to rebuild.",
  );
  process.exit(2);
}
const started = performance.now();
const db = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
let store: Neo4jLineageStore | undefined;
const bar = new SingleBar({
  format: "Rebuilding the lineage graph |{bar}| {percentage}% | {value}/{total} edges | {eta_formatted} left",
  stream: process.stderr,
  hideCursor: true,
  // Logs and CI have no terminal: print a progress line every few seconds there instead.
  noTTYOutput: true,
  notTTYSchedule: 5_000,
});
try {
  store = await Neo4jLineageStore.open({
    url: config.neo4jUrl,
    ...(config.neo4jUser ? { user: config.neo4jUser, password: config.neo4jPassword ?? "" } : {}),
  });
  let barStarted = false;
  const result = await rebuildGraphProjection(new GraphProjectionRepository(db), store, NEO4J_PROJECTION, {
    onProgress: ({ edges, total }) => {
      if (!barStarted) {
        bar.start(total, edges);
        barStarted = true;
      } else {
        bar.setTotal(total);
        bar.update(edges);
      }
    },
  });
  bar.stop();
  const seconds = (performance.now() - started) / 1_000;
  console.log(
    `Rebuilt the lineage graph: ${result.edges} edges in ${seconds.toFixed(1)} s; the projector resumes after outbox position ${result.position}.`,
  );
} catch (error) {
  bar.stop();
  console.error(`graph:rebuild failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await store?.close();
  await db.close();
}
