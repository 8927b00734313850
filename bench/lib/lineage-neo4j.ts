import neo4j from "neo4j-driver";
import { Neo4jLineageStore } from "../../graph/neo4j/neo4j-lineage-store.js";
import type { LineageGraphGenerator } from "../lineage-graph-generator.js";
import { LOAD_BATCH, type LoadResult } from "./lineage-postgres.js";
import { loadProgress } from "./progress.js";

/** Records every edge through Neo4jLineageStore.recordEdges (LOAD_BATCH per call; the store commits every 1,000). */
export async function loadNeo4jEdges(
  store: Neo4jLineageStore,
  generator: LineageGraphGenerator,
  label: string,
): Promise<LoadResult> {
  const progress = loadProgress(`${label} neo4j edges`, generator.stats().totalEdges, "edges");
  let rows = 0;
  let ms = 0;
  try {
    for (const batch of generator.edgeBatches(LOAD_BATCH)) {
      const started = performance.now();
      await store.recordEdges(batch);
      ms += performance.now() - started;
      rows += batch.length;
      progress.update(rows, ms);
    }
  } finally {
    progress.stop();
  }
  return { rows, ms };
}

/** Nodes and relationships in the graph (from the count store: instant). */
export async function neo4jCounts(url: string): Promise<{ nodes: number; relationships: number }> {
  const driver = neo4j.driver(url);
  try {
    const session = driver.session({ defaultAccessMode: neo4j.session.READ });
    try {
      const nodes = await session.run("MATCH (n:LineageNode) RETURN count(n) AS n");
      const rels = await session.run("MATCH ()-[r:LINEAGE]->() RETURN count(r) AS n");
      const count = (result: typeof nodes) => (result.records[0]!.get("n") as { toNumber(): number }).toNumber();
      return { nodes: count(nodes), relationships: count(rels) };
    } finally {
      await session.close();
    }
  } finally {
    await driver.close();
  }
}
