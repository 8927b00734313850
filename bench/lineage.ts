// Lineage at platform scale (issue 3): a synthetic ML platform graph (bench/lineage-graph-generator.ts)
// of 10k / 100k / 1M nodes loaded into Postgres (entity rows + lineage_edge) and into a private Neo4j;
// then p50/p99 of
//   impact     — downstream of a popular raw dataset version, depth 10, capped at 1,000 nodes;
//   provenance — upstream of what a deployment serves;
// at three layers: the raw statement alone (SQL recursive CTE / Cypher), LineageStore.traverse() of
// each store, and the GraphQL query through the server process (as `npm start` runs it).
//
//   npx tsx bench/lineage.ts [--sizes 10k,100k,1M] [--iterations 200] [--warmup 100]
//                            [--stores postgres,neo4j] [--reuse] [--graphql auto|off] [--out file.json]
//
// --reuse keeps a database/graph of the same size and seed from an earlier run instead of
// reloading it (load figures are then not measured). The private Neo4j (port 57690, state in
// /tmp/pedigree-bench-neo4j) is stopped at the end unless --keep-neo4j.
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { parseArgs } from "node:util";
import neo4j from "neo4j-driver";
import pg from "pg";
import type { LineageStore } from "../graph/lineage-store.js";
import { Neo4jLineageStore } from "../graph/neo4j/neo4j-lineage-store.js";
import { PostgresLineageStore } from "../graph/postgres/postgres-lineage-store.js";
import { encodeNodeId } from "../server/graphql/node-id.js";
import {
  DEFAULT_LINEAGE_SEED,
  LINEAGE_BENCH_SIZES,
  type LineageBenchSize,
  LineageGraphGenerator,
} from "./lineage-graph-generator.js";
import { type LoopResult, latencyLoop } from "./lib/latency-loop.js";
import { loadNeo4jEdges, neo4jCounts } from "./lib/lineage-neo4j.js";
import {
  benchDatabaseUrl,
  databaseExists,
  type LoadResult,
  loadEntities,
  loadPostgresEdges,
  postgresSizes,
  recreateBenchDatabase,
} from "./lib/lineage-postgres.js";
import {
  cypherImpact,
  cypherProvenance,
  IMPACT_DEPTH,
  IMPACT_LIMIT,
  PROVENANCE_DEPTH,
  PROVENANCE_LIMIT,
  sqlImpact,
  sqlProvenance,
  storeImpact,
} from "./lib/lineage-raw-queries.js";
import {
  PRIVATE_NEO4J,
  privateNeo4jUrl,
  restartPrivateNeo4jEmpty,
  startPrivateNeo4j,
  stopPrivateNeo4j,
} from "./lib/private-neo4j.js";
import { startServerProcess } from "./lib/server-process.js";
import { fmt } from "./lib/stats.js";

const { values: args } = parseArgs({
  options: {
    sizes: { type: "string", default: "10k,100k" },
    iterations: { type: "string", default: "200" },
    warmup: { type: "string", default: "100" },
    stores: { type: "string", default: "postgres,neo4j" },
    reuse: { type: "boolean", default: false },
    "keep-neo4j": { type: "boolean", default: false },
    graphql: { type: "string", default: "auto" },
    /** A measurement stops early after this many seconds (slow layers at 1M); n says how many ran. */
    "budget-seconds": { type: "string", default: "180" },
    out: { type: "string" },
  },
});

const sizes = args.sizes.split(",").map((s) => {
  if (!(s in LINEAGE_BENCH_SIZES)) throw new Error(`unknown size ${s}; one of ${Object.keys(LINEAGE_BENCH_SIZES).join(", ")}`);
  return s as LineageBenchSize;
});
const stores = new Set(args.stores.split(","));
const loop = { warmup: Number(args.warmup), iterations: Number(args.iterations) };
const budgetMs = Number(args["budget-seconds"]) * 1_000;
const seed = DEFAULT_LINEAGE_SEED;

interface Measurement extends LoopResult {
  size: LineageBenchSize;
  store: "postgres" | "neo4j";
  query: "impact" | "provenance";
  layer: "raw" | "store" | "graphql";
}
interface LoadFigure {
  size: LineageBenchSize;
  what: string;
  rows: number;
  ms: number;
}

const measurements: Measurement[] = [];
const loads: LoadFigure[] = [];
const notes: string[] = [];

console.log(
  `date ${new Date().toISOString()}; ${cpus().length} × ${cpus()[0]?.model}; ${(totalmem() / 2 ** 30).toFixed(0)} GiB; node ${process.version}; ` +
    `load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
);
console.log(
  `sizes ${sizes.join(", ")}; stores ${[...stores].join(", ")}; ${loop.iterations} iterations after ${loop.warmup} warm-up; seed ${seed}`,
);

/** Runs a latency loop within the time budget (a slow layer stops early; n records how many ran). */
async function measure<T>(
  labels: Omit<Measurement, keyof LoopResult>,
  targets: readonly T[],
  call: (target: T) => Promise<number>,
): Promise<void> {
  const deadline = performance.now() + budgetMs;
  const timed = async (target: T) => {
    if (performance.now() > deadline) throw new BudgetExceeded();
    return call(target);
  };
  const name = `${labels.size} ${labels.store} ${labels.query} ${labels.layer}`;
  let result: LoopResult;
  try {
    try {
      result = await latencyLoop(targets, timed, loop);
    } catch (error) {
      if (!(error instanceof BudgetExceeded)) throw error;
      // Re-run with as many iterations as fit in the budget, estimated from one call.
      const started = performance.now();
      await call(targets[0]!);
      const perCall = performance.now() - started;
      const iterations = Math.max(5, Math.floor(budgetMs / perCall / 2));
      notes.push(`${name}: over the ${budgetMs / 1_000} s budget; measured ${iterations} iterations after 1 warm-up`);
      result = await latencyLoop(targets, call, { warmup: 1, iterations });
    }
  } catch (error) {
    // E.g. a GraphQL answer from the wrong store: recorded, and the other measurements go on.
    const message = error instanceof Error ? error.message : String(error);
    notes.push(`${name}: FAILED: ${message.slice(0, 300)}`);
    console.log(`[${labels.size}] ${name}: FAILED: ${message.slice(0, 300)}`);
    return;
  }
  measurements.push({ ...labels, ...result });
  console.log(
    `[${labels.size}] ${labels.store.padEnd(8)} ${labels.query.padEnd(10)} ${labels.layer.padEnd(7)} p50 ${fmt(result.p50).padStart(8)} ms  p99 ${fmt(result.p99).padStart(8)} ms  n ${result.count}  nodes(median/max) ${result.medianSize}/${result.maxSize}`,
  );
}

class BudgetExceeded extends Error {}

// --- GraphQL ------------------------------------------------------------------------------------

const schemaText = readFileSync(new URL("../server/graphql/schema.graphql", import.meta.url), "utf8");
const graphqlReady = args.graphql !== "off" && /\bimpact\s*\(/.test(schemaText) && /\bprovenance\s*\(/.test(schemaText);
if (!graphqlReady) notes.push("GraphQL impact/provenance not in server/graphql/schema.graphql yet: GraphQL layer not measured");

const IMPACT_QUERY = `query Impact($id: ID!) {
  impact(nodeId: $id, depth: ${IMPACT_DEPTH}, limit: ${IMPACT_LIMIT}) {
    runs { id } modelVersions { id } deployments { servingAt trafficPercent deployment { id } } truncated source { store }
  }
}`;
const PROVENANCE_QUERY = `query Provenance($id: ID!) {
  provenance(deploymentId: $id) {
    modelVersions {
      trafficPercent modelVersion { id }
      runs { depth run { id hyperparameters latestMetrics } }
      datasetVersions { role datasetVersion { id } }
      features { id } commits { id }
    }
    truncated source { store }
  }
}`;

interface ImpactAnswer {
  runs: unknown[];
  modelVersions: unknown[];
  deployments: unknown[];
  truncated: boolean;
  source: { store: string };
}
interface ProvenanceAnswer {
  modelVersions: { runs: unknown[]; datasetVersions: unknown[]; features: unknown[]; commits: unknown[] }[];
  truncated: boolean;
  source: { store: string };
}

async function graphqlCall<T>(url: string, query: string, id: string): Promise<T> {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables: { id } }),
  });
  const body = (await response.json()) as { data?: Record<string, T>; errors?: { message: string }[] };
  if (body.errors?.length || !body.data) throw new Error(`GraphQL: ${JSON.stringify(body.errors ?? response.status)}`);
  return Object.values(body.data)[0]!;
}

/** Fails when the answer did not come from the store being measured (a silent fallback). */
function expectStore(answer: { source: { store: string } }, store: string): void {
  if (answer.source.store.toLowerCase() !== store) {
    throw new Error(`GraphQL answered from "${answer.source.store}" while measuring ${store}: refusing to report it as ${store}`);
  }
}

async function residentMemoryMiB(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^pedigree_process_resident_memory_bytes (\S+)/m.exec(text)?.[1] ?? Number.NaN) / 2 ** 20;
}

// --- one size -----------------------------------------------------------------------------------

const NEO4J_MARKER = `${PRIVATE_NEO4J.dir}/bench-loaded.json`;
let neo4jStarted = false;

async function benchSize(size: LineageBenchSize): Promise<void> {
  const generator = new LineageGraphGenerator({ nodes: LINEAGE_BENCH_SIZES[size], seed });
  let started = performance.now();
  const stats = generator.stats();
  console.log(
    `\n[${size}] graph: ${stats.totalNodes.toLocaleString("en-US")} nodes, ${stats.totalEdges.toLocaleString("en-US")} edges ` +
      `(${fmt(stats.totalEdges / stats.totalNodes)} per node, ${stats.closedEdges} closed); generator pass ${fmt((performance.now() - started) / 1_000, 1)} s`,
  );
  console.log(`[${size}] nodes ${JSON.stringify(stats.nodes)}; edges ${JSON.stringify(stats.edges)}`);

  // Postgres: entity rows, then edges through the store's bulk insert.
  const database = `pedigree_bench_${size.toLowerCase()}`;
  const url = benchDatabaseUrl(database);
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const edgeCount = async () => Number((await pool.query("SELECT count(*)::text AS n FROM lineage_edge")).rows[0].n);
  const reusePostgres = args.reuse && (await databaseExists(database)) && (await edgeCount()) === stats.totalEdges;
  if (reusePostgres) {
    console.log(`[${size}] reusing database ${database}`);
  } else {
    await recreateBenchDatabase(database);
    const entities = await loadEntities(pool, generator, `[${size}]`);
    loads.push({ size, what: "postgres entity rows", ...entities });
    const edges: LoadResult = await loadPostgresEdges(pool, generator, `[${size}]`);
    loads.push({ size, what: "postgres lineage_edge", ...edges });
    started = performance.now();
    await pool.query("ANALYZE");
    loads.push({ size, what: "postgres ANALYZE", rows: 0, ms: performance.now() - started });
  }
  if ((await edgeCount()) !== stats.totalEdges) throw new Error(`[${size}] lineage_edge holds ${await edgeCount()} rows`);
  const pgSizes = await postgresSizes(pool);
  console.log(
    `[${size}] postgres: lineage_edge ${fmt(pgSizes.edgeTableMiB, 0)} MiB with indexes, database ${fmt(pgSizes.databaseMiB, 0)} MiB`,
  );

  // Neo4j: a private instance, emptied, loaded through Neo4jLineageStore.recordEdges.
  let neo4jStore: Neo4jLineageStore | undefined;
  if (stores.has("neo4j")) {
    const marker = JSON.stringify({ size, seed, edges: stats.totalEdges });
    const reuseNeo4j = args.reuse && existsSync(NEO4J_MARKER) && readFileSync(NEO4J_MARKER, "utf8") === marker;
    if (reuseNeo4j) {
      if (!neo4jStarted) startPrivateNeo4j();
      console.log(`[${size}] reusing the private Neo4j graph`);
    } else {
      rmSync(NEO4J_MARKER, { force: true });
      restartPrivateNeo4jEmpty();
    }
    neo4jStarted = true;
    neo4jStore = await Neo4jLineageStore.open({ url: privateNeo4jUrl() });
    if (!reuseNeo4j) {
      const edges = await loadNeo4jEdges(neo4jStore, generator, `[${size}]`);
      loads.push({ size, what: "neo4j recordEdges", ...edges });
      writeFileSync(NEO4J_MARKER, marker);
    }
    const counts = await neo4jCounts(privateNeo4jUrl());
    if (counts.relationships !== stats.totalEdges) throw new Error(`[${size}] Neo4j holds ${counts.relationships} relationships`);
    console.log(
      `[${size}] neo4j: ${counts.nodes.toLocaleString("en-US")} nodes, ${counts.relationships.toLocaleString("en-US")} relationships`,
    );
  }
  for (const load of loads.filter((l) => l.size === size && l.rows > 0)) {
    console.log(
      `[${size}] load ${load.what}: ${load.rows.toLocaleString("en-US")} rows in ${fmt(load.ms / 1_000, 1)} s = ${Math.round((load.rows / load.ms) * 1_000).toLocaleString("en-US")} rows/s`,
    );
  }

  // Targets: the most consumed raw versions (as many as 0.5 % of all dataset versions, 10 to `iterations`),
  // and the deployments in a fixed shuffled order.
  const popularCount = Math.min(loop.iterations, Math.max(10, Math.round(stats.nodes.DATASET_VERSION * 0.005)));
  const targets = generator.targets(popularCount);
  const popular = targets.popularRawDatasetVersions;
  console.log(
    `[${size}] impact targets: ${popular.length} raw versions with ${popular.at(-1)!.consumers}–${popular[0]!.consumers} direct consumers; provenance targets: ${targets.deployments.length} deployments`,
  );
  const rawIds = popular.map((p) => p.id);
  const deployments = shuffled(targets.deployments, seed).slice(0, Math.max(loop.iterations, 10));
  const asOf = new Date();
  // The store layer makes the calls LineageService makes (server/lineage/lineage.service.ts). For
  // provenance the served versions come from Postgres first (servesIntoAt); they are looked up once
  // here, untimed, so that this layer is the store alone.
  const storeImpactOf = (store: LineageStore) => (id: string) => storeImpact(store, id, asOf);
  const served = await servedModelVersions(pool, deployments, asOf);
  const storeProvenance = (store: LineageStore) => async (id: string) => {
    const graphs = await Promise.all(
      served.get(id)!.map((modelVersionId) =>
        store.traverse({
          root: { type: "MODEL_VERSION", id: modelVersionId },
          direction: "UPSTREAM",
          maxDepth: PROVENANCE_DEPTH,
          limit: PROVENANCE_LIMIT,
          asOf,
        }),
      ),
    );
    return graphs.reduce((sum, graph) => sum + graph.nodes.length, 0);
  };

  // Raw statements and stores, one connection each (sequential: the latency one user sees).
  const single = new pg.Pool({ connectionString: url, max: 1 });
  const postgresStore = new PostgresLineageStore(single);
  await measure({ size, store: "postgres", query: "provenance", layer: "raw" }, deployments, (id) =>
    sqlProvenance(single, id, asOf),
  );
  await measure({ size, store: "postgres", query: "provenance", layer: "store" }, deployments, storeProvenance(postgresStore));
  await measure({ size, store: "postgres", query: "impact", layer: "raw" }, rawIds, (id) => sqlImpact(single, id, asOf));
  await measure({ size, store: "postgres", query: "impact", layer: "store" }, rawIds, storeImpactOf(postgresStore));
  await single.end();
  if (neo4jStore) {
    const driver = neo4j.driver(privateNeo4jUrl());
    await measure({ size, store: "neo4j", query: "provenance", layer: "raw" }, deployments, (id) =>
      cypherProvenance(driver, id, asOf),
    );
    await measure({ size, store: "neo4j", query: "provenance", layer: "store" }, deployments, storeProvenance(neo4jStore));
    await measure({ size, store: "neo4j", query: "impact", layer: "raw" }, rawIds, (id) => cypherImpact(driver, id, asOf));
    await measure({ size, store: "neo4j", query: "impact", layer: "store" }, rawIds, storeImpactOf(neo4jStore));
    await driver.close();
    await neo4jStore.close();
  }

  // GraphQL through the server process, once per store; `source { store }` must name the store measured.
  if (graphqlReady) {
    for (const store of ["postgres", "neo4j"] as const) {
      if (!stores.has(store)) continue;
      const server = await startServerProcess({
        DATABASE_URL: url,
        ...(store === "neo4j" ? { NEO4J_URL: privateNeo4jUrl() } : {}),
      });
      try {
        const impact = async (id: string) => {
          const answer = await graphqlCall<ImpactAnswer>(server.url, IMPACT_QUERY, encodeNodeId("DatasetVersion", id));
          expectStore(answer, store);
          return answer.runs.length + answer.modelVersions.length + answer.deployments.length;
        };
        const provenance = async (id: string) => {
          const answer = await graphqlCall<ProvenanceAnswer>(server.url, PROVENANCE_QUERY, encodeNodeId("Deployment", id));
          expectStore(answer, store);
          return answer.modelVersions.reduce(
            (sum, mv) => sum + 1 + mv.runs.length + mv.datasetVersions.length + mv.features.length + mv.commits.length,
            0,
          );
        };
        await measure({ size, store, query: "provenance", layer: "graphql" }, deployments, provenance);
        await measure({ size, store, query: "impact", layer: "graphql" }, rawIds, impact);
        console.log(`[${size}] server RSS after the ${store} queries: ${fmt(await residentMemoryMiB(server.url), 0)} MiB`);
      } finally {
        await server.stop();
      }
    }
  }
  await pool.end();
}

/** Model versions each deployment serves at `asOf` (what LineageService reads with servesIntoAt). */
async function servedModelVersions(pool: pg.Pool, deploymentIds: string[], asOf: Date): Promise<Map<string, string[]>> {
  const { rows } = await pool.query<{ deployment: string; model_version: string }>(
    `SELECT downstream_id::text AS deployment, upstream_id::text AS model_version FROM lineage_edge
      WHERE downstream_id = ANY($1::uuid[]) AND kind = 'SERVES' AND valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2)
      ORDER BY id`,
    [deploymentIds, asOf],
  );
  const served = new Map(deploymentIds.map((id) => [id, [] as string[]]));
  for (const row of rows) served.get(row.deployment)!.push(row.model_version);
  return served;
}

/** A deterministic shuffle (so that consecutive targets are unrelated, the same in every run). */
function shuffled<T>(items: readonly T[], shuffleSeed: number): T[] {
  const out = [...items];
  let state = shuffleSeed >>> 0;
  for (let i = out.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

// --- run and report -----------------------------------------------------------------------------

try {
  for (const size of sizes) await benchSize(size);
} finally {
  if (neo4jStarted && !args["keep-neo4j"]) stopPrivateNeo4j();
}

console.log("\n## Load");
console.log("| size | what | rows | seconds | rows/s |");
console.log("| ---- | ---- | ---: | ------: | -----: |");
for (const l of loads) {
  console.log(
    `| ${l.size} | ${l.what} | ${l.rows.toLocaleString("en-US")} | ${fmt(l.ms / 1_000, 1)} | ${l.rows ? Math.round((l.rows / l.ms) * 1_000).toLocaleString("en-US") : "–"} |`,
  );
}
console.log("\n## Latency (ms; n = iterations measured; nodes = median result size)");
console.log(
  "| size | store | query | raw p50 / p99 | store p50 / p99 | GraphQL p50 / p99 | GraphQL ÷ raw (p50, p99) | nodes raw/store/GraphQL |",
);
console.log(
  "| ---- | ----- | ----- | ------------- | --------------- | ----------------- | ------------------------ | ----------------------- |",
);
for (const size of sizes) {
  for (const store of ["postgres", "neo4j"] as const) {
    for (const query of ["provenance", "impact"] as const) {
      const pick = (layer: Measurement["layer"]) =>
        measurements.find((m) => m.size === size && m.store === store && m.query === query && m.layer === layer);
      const raw = pick("raw");
      if (!raw) continue;
      const layer = pick("store");
      const api = pick("graphql");
      const cell = (m: Measurement | undefined) =>
        m ? `${fmt(m.p50)} / ${fmt(m.p99)}${m.count < loop.iterations ? ` (n ${m.count})` : ""}` : "–";
      const ratio = api ? `×${fmt(api.p50 / raw.p50, 1)}, ×${fmt(api.p99 / raw.p99, 1)}` : "–";
      console.log(
        `| ${size} | ${store} | ${query} | ${cell(raw)} | ${cell(layer)} | ${cell(api)} | ${ratio} | ${raw.medianSize}/${layer?.medianSize ?? "–"}/${api?.medianSize ?? "–"} |`,
      );
    }
  }
}
for (const note of notes) console.log(`note: ${note}`);
if (args.out)
  writeFileSync(args.out, JSON.stringify({ date: new Date().toISOString(), loop, seed, loads, measurements, notes }, null, 2));
