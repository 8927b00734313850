// The two lineage questions of the benchmark as single raw statements, to time the engines alone.
// They ask what LineageService (server/lineage/lineage.service.ts) asks its store:
//   impact     — runs and model versions downstream of a dataset version over edges valid now
//                (every kind but SERVES), depth ≤ 10, the nearest 1,000 of them;
//   provenance — everything upstream of the model versions a deployment serves now, ≤ 10 hops above
//                them (the service walks from each served version; one statement does all of them).
// SQL: the recursive CTE of the Postgres store (graph/postgres/queries/traverse-*.sql) in one statement.
// Cypher: a variable-length pattern returning DISTINCT end nodes, which Neo4j plans as a pruning
// (breadth-first) expand rather than enumerating paths.
import neo4j, { type Driver } from "neo4j-driver";
import type pg from "pg";
import type { LineageStore } from "../../graph/lineage-store.js";

export const IMPACT_DEPTH = 10;
export const IMPACT_LIMIT = 1_000;
export const PROVENANCE_DEPTH = 10;
export const PROVENANCE_LIMIT = 1_000;
/** What LineageService.impact() follows and counts. */
export const IMPACT_EDGE_KINDS = ["CONSUMED", "PRODUCED", "SOURCE_OF", "USED", "BUILT_FROM", "PARENT_OF", "DERIVES"] as const;
export const IMPACT_NODE_TYPES = ["RUN", "MODEL_VERSION"] as const;

/** The store walk `impact` makes (LineageService.impact): nodes returned for one raw dataset version. */
export async function storeImpact(store: LineageStore, datasetVersionId: string, asOf: Date): Promise<number> {
  const graph = await store.traverse({
    root: { type: "DATASET_VERSION", id: datasetVersionId },
    direction: "DOWNSTREAM",
    maxDepth: IMPACT_DEPTH,
    limit: IMPACT_LIMIT,
    asOf,
    edgeKinds: IMPACT_EDGE_KINDS,
    nodeTypes: IMPACT_NODE_TYPES,
  });
  return graph.nodes.length;
}

const VALID_AT = (alias: string, asOf: string) =>
  `${alias}.valid_from <= ${asOf}::timestamptz AND (${alias}.valid_to IS NULL OR ${alias}.valid_to > ${asOf}::timestamptz)`;

/** $1 dataset version id, $2 depth, $3 as-of, $4 limit. Runs and model versions at their smallest depth, nearest first. */
export const SQL_IMPACT = `
WITH RECURSIVE walk(id, type, depth) AS (
  SELECT $1::uuid, 'DATASET_VERSION'::text, 0
  UNION
  SELECT e.downstream_id, e.downstream_type::text, walk.depth + 1
  FROM walk JOIN lineage_edge e ON e.upstream_id = walk.id
  WHERE walk.depth < $2 AND ${VALID_AT("e", "$3")} AND e.kind <> 'SERVES'
)
SELECT id::text AS id, type, min(depth) AS depth FROM walk
WHERE type IN ('RUN', 'MODEL_VERSION')
GROUP BY id, type ORDER BY depth, id LIMIT $4`;

/** $1 deployment id, $2 hops above the served model versions, $3 as-of. */
export const SQL_PROVENANCE = `
WITH RECURSIVE walk(id, type, depth) AS (
  SELECT e.upstream_id, e.upstream_type::text, 0
  FROM lineage_edge e
  WHERE e.downstream_id = $1::uuid AND e.kind = 'SERVES' AND ${VALID_AT("e", "$3")}
  UNION
  SELECT e.upstream_id, e.upstream_type::text, walk.depth + 1
  FROM walk JOIN lineage_edge e ON e.downstream_id = walk.id
  WHERE walk.depth < $2 AND ${VALID_AT("e", "$3")}
)
SELECT id::text AS id, type, min(depth) AS depth FROM walk GROUP BY id, type`;

const VALID_REL = "r.validFrom <= $asOf AND (r.validTo IS NULL OR r.validTo > $asOf)";

export const CYPHER_IMPACT = `
MATCH (root:LineageNode {key: $key})-[rels:LINEAGE*1..${IMPACT_DEPTH}]->(n:LineageNode)
WHERE all(r IN rels WHERE ${VALID_REL} AND r.kind <> 'SERVES') AND n.type IN ['RUN', 'MODEL_VERSION']
RETURN DISTINCT n.key AS key
LIMIT $limit`;

export const CYPHER_PROVENANCE = `
MATCH (:LineageNode {key: $key})<-[s:LINEAGE]-(served:LineageNode)
WHERE s.kind = 'SERVES' AND s.validFrom <= $asOf AND (s.validTo IS NULL OR s.validTo > $asOf)
MATCH (served)<-[rels:LINEAGE*0..${PROVENANCE_DEPTH}]-(n:LineageNode)
WHERE all(r IN rels WHERE ${VALID_REL})
RETURN DISTINCT n.key AS key`;

export async function sqlImpact(pool: pg.Pool, datasetVersionId: string, asOf: Date): Promise<number> {
  const { rowCount } = await pool.query({
    name: "bench-impact",
    text: SQL_IMPACT,
    values: [datasetVersionId, IMPACT_DEPTH, asOf, IMPACT_LIMIT],
  });
  return rowCount ?? 0;
}

export async function sqlProvenance(pool: pg.Pool, deploymentId: string, asOf: Date): Promise<number> {
  const { rowCount } = await pool.query({
    name: "bench-provenance",
    text: SQL_PROVENANCE,
    values: [deploymentId, PROVENANCE_DEPTH, asOf],
  });
  return rowCount ?? 0;
}

async function cypherCount(driver: Driver, text: string, params: Record<string, unknown>): Promise<number> {
  const session = driver.session({ defaultAccessMode: neo4j.session.READ });
  try {
    const result = await session.executeRead((tx) => tx.run(text, params));
    return result.records.length;
  } finally {
    await session.close();
  }
}

export function cypherImpact(driver: Driver, datasetVersionId: string, asOf: Date): Promise<number> {
  return cypherCount(driver, CYPHER_IMPACT, {
    key: `DATASET_VERSION:${datasetVersionId}`,
    asOf: neo4j.int(asOf.getTime()),
    limit: neo4j.int(IMPACT_LIMIT),
  });
}

export function cypherProvenance(driver: Driver, deploymentId: string, asOf: Date): Promise<number> {
  return cypherCount(driver, CYPHER_PROVENANCE, { key: `DEPLOYMENT:${deploymentId}`, asOf: neo4j.int(asOf.getTime()) });
}
