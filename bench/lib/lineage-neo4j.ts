import neo4j from "neo4j-driver";
import { Neo4jLineageStore } from "../../graph/neo4j/neo4j-lineage-store.js";
import type { LineageGraphGenerator } from "../lineage-graph-generator.js";
import { type LoadResult, loadEdgesInto } from "./lineage-postgres.js";

/** Records every edge through Neo4jLineageStore.recordEdges (LOAD_BATCH per call; the store commits every 1,000). */
export function loadNeo4jEdges(store: Neo4jLineageStore, generator: LineageGraphGenerator, label: string): Promise<LoadResult> {
  return loadEdgesInto(store, generator, `${label} neo4j edges`);
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
