// p50/p99 and requests/s at 20 concurrent clients for (a) a node lookup and (b) a nested list of 50
// models with their versions, embedded and Postgres; the node lookup is compared with the raw SQL it
// issues, run the same way (20 concurrent loops) against the same database.
import autocannon from "autocannon";
import pg from "pg";
import { startEmbeddedPostgres } from "../server/db/embedded-postgres.js";
import { benchTargets } from "./lib/targets.js";
import { seedModels } from "./lib/seed-models.js";
import { startServerProcess } from "./lib/server-process.js";
import { fmt, summarize } from "./lib/stats.js";

const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = 20;

const NODE_LOOKUP = `query($id: ID!) { node(id: $id) { id ... on DatasetVersion { version uri format digest rowCount createdAt } } }`;
const NESTED = `{ models(first: 50, filter: { namespace: "bench" }) { edges { node { name versions(first: 5) { edges { node { version artifactSha256 metrics sourceRun { id hyperparameters } } } } } } } }`;
// What `node(id)` runs for a DatasetVersion (Prisma's findMany on the primary key, batched by DataLoader).
const NODE_LOOKUP_SQL = `SELECT id, dataset_id, version, uri, format::text, digest, schema_fields, row_count, size_bytes, snapshot_ref, created_at
  FROM dataset_version WHERE id = ANY($1::uuid[]) OFFSET 0`;

async function load(url: string, body: string) {
  const result = await autocannon({
    url: `${url}/graphql`,
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
    connections: CONNECTIONS,
    duration: DURATION_S,
  });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`load failed: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { p50: result.latency.p50, p99: result.latency.p99, rps: result.requests.average, total: result.requests.total };
}

/** The same statement from 20 concurrent loops for DURATION_S seconds. */
async function rawSql(pool: pg.Pool, key: string) {
  const samples: number[] = [];
  const until = performance.now() + DURATION_S * 1_000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < until) {
        const started = performance.now();
        await pool.query({ name: "node-lookup", text: NODE_LOOKUP_SQL, values: [[key]] });
        samples.push(performance.now() - started);
      }
    }),
  );
  const summary = summarize(samples);
  return { ...summary, rps: summary.count / DURATION_S };
}

async function residentMemoryMb(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const bytes = Number(/^pedigree_process_resident_memory_bytes (\S+)/m.exec(text)?.[1] ?? Number.NaN);
  return bytes / 1024 / 1024;
}

for (const target of await benchTargets()) {
  const server = await startServerProcess(target.env);
  const { datasetVersionId } = await seedModels(`${server.url}/graphql`);
  const key = Buffer.from(datasetVersionId, "base64url").toString().split(":")[1]!;
  await load(server.url, JSON.stringify({ query: NODE_LOOKUP, variables: { id: datasetVersionId } })); // warm-up
  const lookup = await load(server.url, JSON.stringify({ query: NODE_LOOKUP, variables: { id: datasetVersionId } }));
  const nested = await load(server.url, JSON.stringify({ query: NESTED }));
  const rss = await residentMemoryMb(server.url);
  await server.stop();

  const embedded = target.name === "embedded" ? await startEmbeddedPostgres(`${target.env.PEDIGREE_DATA_DIR}`) : undefined;
  const pool = new pg.Pool({ connectionString: embedded?.url ?? target.env.DATABASE_URL, max: embedded ? 1 : 10 });
  const sql = await rawSql(pool, key);
  await pool.end();
  await embedded?.close();
  await target.cleanup();

  console.log(`[${target.name}] node lookup: p50 ${fmt(lookup.p50)} ms, p99 ${fmt(lookup.p99)} ms, ${fmt(lookup.rps, 0)} req/s`);
  console.log(
    `[${target.name}] raw SQL of node lookup: p50 ${fmt(sql.p50)} ms, p99 ${fmt(sql.p99)} ms, ${fmt(sql.rps, 0)} queries/s`,
  );
  console.log(
    `[${target.name}] ratio API/SQL: p50 ×${fmt(lookup.p50 / sql.p50, 1)}, throughput ×${fmt(sql.rps / lookup.rps, 1)} lower`,
  );
  console.log(
    `[${target.name}] nested 50 models × 3 versions + source runs: p50 ${fmt(nested.p50)} ms, p99 ${fmt(nested.p99)} ms, ${fmt(nested.rps, 0)} req/s`,
  );
  console.log(`[${target.name}] server RSS after load: ${fmt(rss, 0)} MiB`);
}
