// What would make the lineage stores faster, measured on a graph bench/lineage.ts has loaded (run it
// first; it keeps the database pedigree_bench_<size> and, with --keep-neo4j, the private Neo4j):
//   Postgres impact — the store's recursive CTE (whole closure, then LIMIT) against the same CTE
//     read lazily (no aggregate between the CTE and the LIMIT, so Postgres stops the recursion once
//     enough rows came out, in breadth-first order), each before and after covering indexes for the
//     two walk directions (created here, dropped at the end; never in a migration);
//   Neo4j provenance — the store's walk (one query per level, then edges-between.cypher, which
//     expands each node's outgoing relationships) against the same statements with the edges
//     query expanding incoming relationships instead, and against one statement per served model
//     version (GQL `ANY SHORTEST`, which also gives each node's smallest depth);
//   Neo4j impact — the store's walk against the raw breadth-first pruning expand with LIMIT.
//
//   npx tsx bench/lineage-variants.ts [--size 100k] [--iterations 200] [--warmup 100] [--skip-neo4j]
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import neo4j, { type Driver } from "neo4j-driver";
import pg from "pg";
import type { LineageStore } from "../graph/lineage-store.js";
import { Neo4jLineageStore } from "../graph/neo4j/neo4j-lineage-store.js";
import { PostgresLineageStore } from "../graph/postgres/postgres-lineage-store.js";
import {
  DEFAULT_LINEAGE_SEED,
  LINEAGE_BENCH_SIZES,
  type LineageBenchSize,
  LineageGraphGenerator,
} from "./lineage-graph-generator.js";
import { latencyLoop } from "./lib/latency-loop.js";
import { benchDatabaseUrl } from "./lib/lineage-postgres.js";
import {
  CYPHER_IMPACT,
  IMPACT_DEPTH,
  IMPACT_LIMIT,
  PROVENANCE_DEPTH,
  PROVENANCE_LIMIT,
  SQL_IMPACT,
  storeImpact,
} from "./lib/lineage-raw-queries.js";
import { privateNeo4jUrl, startPrivateNeo4j, stopPrivateNeo4j } from "./lib/private-neo4j.js";
import { fmt } from "./lib/stats.js";

const { values: args } = parseArgs({
  options: {
    size: { type: "string", default: "100k" },
    iterations: { type: "string", default: "200" },
    warmup: { type: "string", default: "100" },
    "skip-neo4j": { type: "boolean", default: false },
  },
});
if (!(args.size in LINEAGE_BENCH_SIZES)) throw new Error(`unknown size ${args.size}`);
const size = args.size as LineageBenchSize;
const loop = { warmup: Number(args.warmup), iterations: Number(args.iterations) };

const generator = new LineageGraphGenerator({ nodes: LINEAGE_BENCH_SIZES[size], seed: DEFAULT_LINEAGE_SEED });
const stats = generator.stats();
const targets = generator.targets(Math.min(loop.iterations, Math.max(10, Math.round(stats.nodes.DATASET_VERSION * 0.005))));
const rawIds = targets.popularRawDatasetVersions.map((p) => p.id);
const asOf = new Date();

const url = benchDatabaseUrl(`pedigree_bench_${size.toLowerCase()}`);
const pool = new pg.Pool({ connectionString: url, max: 1 });
const edges = Number((await pool.query("SELECT count(*)::text AS n FROM lineage_edge")).rows[0].n);
if (edges !== stats.totalEdges)
  throw new Error(
    `pedigree_bench_${size.toLowerCase()} holds ${edges} edges, not ${stats.totalEdges}: run bench/lineage.ts --sizes ${size} first`,
  );

console.log(`date ${new Date().toISOString()}; size ${size}; ${loop.iterations} iterations after ${loop.warmup} warm-up`);
const rows: string[] = [];
async function report<T>(label: string, list: readonly T[], call: (target: T) => Promise<number>) {
  const result = await latencyLoop(list, call, loop);
  const line = `| ${size} | ${label} | ${fmt(result.p50)} | ${fmt(result.p99)} | ${result.medianSize} |`;
  rows.push(line);
  console.log(line);
}

// --- Postgres -----------------------------------------------------------------------------------

/** The store's impact CTE read lazily: rows in breadth-first order, cut at $4 (duplicates across depths possible). */
const SQL_IMPACT_LAZY = `
WITH RECURSIVE walk(id, type, depth) AS (
  SELECT $1::uuid, 'DATASET_VERSION'::text, 0
  UNION
  SELECT e.downstream_id, e.downstream_type::text, walk.depth + 1
  FROM walk JOIN lineage_edge e ON e.upstream_id = walk.id
  WHERE walk.depth < $2 AND e.valid_from <= $3::timestamptz AND (e.valid_to IS NULL OR e.valid_to > $3::timestamptz)
    AND e.kind <> 'SERVES'
)
SELECT id::text AS id, type, depth FROM walk WHERE type IN ('RUN', 'MODEL_VERSION') LIMIT $4`;
/** Rows asked of the lazy CTE: a margin over the limit for nodes reached at two depths. */
const LAZY_ROWS = Math.round(IMPACT_LIMIT * 1.2);

const postgresStore = new PostgresLineageStore(pool);
const storeImpactOf = (store: LineageStore) => (id: string) => storeImpact(store, id, asOf);
const sqlImpact = (text: string, limit: number) => async (id: string) =>
  new Set((await pool.query<{ id: string }>(text, [id, IMPACT_DEPTH, asOf, limit])).rows.map((r) => r.id)).size;

console.log("| size | variant | p50 ms | p99 ms | median nodes |");
console.log("| ---- | ------- | -----: | -----: | -----------: |");
// Index-only scans need the visibility map: vacuum first, so that before/after differ by the indexes alone.
await pool.query("VACUUM ANALYZE lineage_edge");
await report("postgres impact: store (CTE, whole closure, then LIMIT)", rawIds, storeImpactOf(postgresStore));
await report("postgres impact: raw CTE as the store runs it", rawIds, sqlImpact(SQL_IMPACT, IMPACT_LIMIT));
await report(`postgres impact: lazy CTE, first ${LAZY_ROWS} rows`, rawIds, sqlImpact(SQL_IMPACT_LAZY, LAZY_ROWS));
const COVERING = [
  "CREATE INDEX bench_lineage_edge_downstream_walk ON lineage_edge (upstream_id) INCLUDE (downstream_id, downstream_type, kind, valid_from, valid_to)",
  "CREATE INDEX bench_lineage_edge_upstream_walk ON lineage_edge (downstream_id) INCLUDE (upstream_id, upstream_type, kind, valid_from, valid_to)",
];
try {
  for (const statement of COVERING) await pool.query(statement);
  await pool.query("VACUUM ANALYZE lineage_edge");
  await report("postgres impact: store, with covering indexes", rawIds, storeImpactOf(postgresStore));
  await report("postgres impact: raw CTE, with covering indexes", rawIds, sqlImpact(SQL_IMPACT, IMPACT_LIMIT));
  await report("postgres impact: lazy CTE, with covering indexes", rawIds, sqlImpact(SQL_IMPACT_LAZY, LAZY_ROWS));
} finally {
  await pool.query("DROP INDEX IF EXISTS bench_lineage_edge_downstream_walk");
  await pool.query("DROP INDEX IF EXISTS bench_lineage_edge_upstream_walk");
}

// --- Neo4j --------------------------------------------------------------------------------------

const VALID = "r.validFrom <= $asOf AND (r.validTo IS NULL OR r.validTo > $asOf)";
/** Upstream of one model version in one statement, with each node's smallest depth (what traverse() returns). */
const CYPHER_UPSTREAM_SHORTEST = `
MATCH p = ANY SHORTEST (root:LineageNode {key: $key})(()<-[r:LINEAGE WHERE ${VALID}]-()){1,${PROVENANCE_DEPTH}}(n:LineageNode)
RETURN n.key AS key, n.type AS type, length(p) AS depth
ORDER BY depth, n.id
LIMIT $limit`;

const storeQuery = (name: string) => readFileSync(new URL(`../graph/neo4j/queries/${name}.cypher`, import.meta.url), "utf8");
const EXPAND_UPSTREAM = storeQuery("expand-upstream");
/** edges-between.cypher with the expansion turned round: in-degrees are small in lineage, out-degrees heavy-tailed. */
const EDGES_BETWEEN_INCOMING = `
UNWIND $keys AS key
MATCH (d:LineageNode {key: key})<-[r:LINEAGE]-(u:LineageNode)
WHERE u.key IN $keys AND ${VALID} AND ($kinds IS NULL OR r.kind IN $kinds)
RETURN r.id AS id, u.type AS upstreamType, u.id AS upstreamId, d.type AS downstreamType, d.id AS downstreamId,
  r.kind AS kind, r.role AS role, r.properties AS properties, r.validFrom AS validFrom, r.validTo AS validTo
ORDER BY id`;

/** The store's upstream walk (visited set here, one expand query per level) with the incoming edges query. */
async function upstreamWalkIncomingEdges(driver: Driver, rootKey: string, asOf: ReturnType<typeof neo4j.int>): Promise<number> {
  const session = driver.session({ defaultAccessMode: neo4j.session.READ });
  try {
    return await session.executeRead(async (tx) => {
      const visited = new Set([rootKey]);
      const kept = [rootKey];
      let frontier = [rootKey];
      for (let depth = 1; depth <= PROVENANCE_DEPTH + 1 && frontier.length > 0; depth++) {
        const result = await tx.run(EXPAND_UPSTREAM, { frontier, asOf, kinds: null });
        const next: string[] = [];
        for (const record of result.records) {
          const key = record.get("key") as string;
          if (visited.has(key)) continue;
          visited.add(key);
          // Level maxDepth + 1 only tells the store whether the answer was truncated.
          if (depth <= PROVENANCE_DEPTH) {
            next.push(key);
            kept.push(key);
          }
        }
        frontier = next;
      }
      await tx.run(EDGES_BETWEEN_INCOMING, { keys: kept, asOf, kinds: null });
      return kept.length;
    });
  } finally {
    await session.close();
  }
}

async function cypherRows(driver: Driver, text: string, params: Record<string, unknown>): Promise<number> {
  const session = driver.session({ defaultAccessMode: neo4j.session.READ });
  try {
    return (await session.executeRead((tx) => tx.run(text, params))).records.length;
  } finally {
    await session.close();
  }
}

if (!args["skip-neo4j"]) {
  startPrivateNeo4j();
  const store = await Neo4jLineageStore.open({ url: privateNeo4jUrl() });
  const driver = neo4j.driver(privateNeo4jUrl());
  try {
    const { rows: servedRows } = await pool.query<{ deployment: string; model_version: string }>(
      `SELECT downstream_id::text AS deployment, upstream_id::text AS model_version FROM lineage_edge
        WHERE downstream_id = ANY($1::uuid[]) AND kind = 'SERVES' AND valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2)`,
      [targets.deployments, asOf],
    );
    const served = new Map<string, string[]>();
    for (const row of servedRows) served.set(row.deployment, [...(served.get(row.deployment) ?? []), row.model_version]);
    const deployments = [...served.keys()].slice(0, Math.max(loop.iterations, 10));
    const asOfInt = neo4j.int(asOf.getTime());
    await report("neo4j provenance: store (one query per level, per served version)", deployments, async (deployment) => {
      const graphs = await Promise.all(
        served.get(deployment)!.map((id) =>
          store.traverse({
            root: { type: "MODEL_VERSION", id },
            direction: "UPSTREAM",
            maxDepth: PROVENANCE_DEPTH,
            limit: PROVENANCE_LIMIT,
            asOf,
          }),
        ),
      );
      return graphs.reduce((sum, graph) => sum + graph.nodes.length, 0);
    });
    await report("neo4j provenance: store's statements, edges query expanding incoming", deployments, async (deployment) => {
      const counts = await Promise.all(
        served.get(deployment)!.map((id) => upstreamWalkIncomingEdges(driver, `MODEL_VERSION:${id}`, asOfInt)),
      );
      return counts.reduce((a, b) => a + b, 0);
    });
    await report("neo4j provenance: one ANY SHORTEST statement per served version", deployments, async (deployment) => {
      const counts = await Promise.all(
        served.get(deployment)!.map((id) =>
          cypherRows(driver, CYPHER_UPSTREAM_SHORTEST, {
            key: `MODEL_VERSION:${id}`,
            asOf: asOfInt,
            limit: neo4j.int(PROVENANCE_LIMIT),
          }),
        ),
      );
      return counts.reduce((a, b) => a + b, 0);
    });
    await report("neo4j impact: store (one query per level)", rawIds, storeImpactOf(store));
    await report("neo4j impact: raw pruning expand with LIMIT", rawIds, (id) =>
      cypherRows(driver, CYPHER_IMPACT, { key: `DATASET_VERSION:${id}`, asOf: asOfInt, limit: neo4j.int(IMPACT_LIMIT) }),
    );
  } finally {
    await driver.close();
    await store.close();
    stopPrivateNeo4j();
  }
}
await pool.end();
