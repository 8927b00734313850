// Issue 5 figure: what authorization and the audit trail cost on a write. One API process on the
// Postgres server (scripts/services.sh), the same mutation (registerDatasetVersion: entity, lineage,
// hash-chained audit event and outbox row in one transaction) called as
//   - anonymous ADMIN (PEDIGREE_ANONYMOUS_ROLE): no token, a global role, no namespace lookups;
//   - a global ADMIN token: token lookup + role bindings per request;
//   - a namespace-bound EDITOR token: also the namespace checks (arguments, change recorder);
// and, as the raw engine without any of it, the INSERT of the dataset_version row alone through pg.
// Variants alternate in rounds so that machine noise spreads over all of them.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { recreateBenchDatabase } from "./lib/lineage-postgres.js";
import { startServerProcess } from "./lib/server-process.js";
import { fmt, summarize } from "./lib/stats.js";

const ROUNDS = Number(process.env.BENCH_AUTHZ_ROUNDS ?? 10);
const PER_ROUND = Number(process.env.BENCH_AUTHZ_PER_ROUND ?? 100);
const CLIENTS = [1, 8];

const REGISTER = `mutation($input: RegisterDatasetVersionInput!) { registerDatasetVersion(input: $input) { datasetVersion { id } } }`;

type Variant = "anonymous ADMIN" | "token, global ADMIN" | "token, namespace EDITOR" | "raw INSERT (pg)";
const VARIANTS: Variant[] = ["anonymous ADMIN", "token, global ADMIN", "token, namespace EDITOR", "raw INSERT (pg)"];

async function graphql(url: string, query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Record<string, any>; errors?: unknown[] };
  if (response.status !== 200 || body.errors)
    throw new Error(`${query.slice(0, 40)}…: ${response.status} ${JSON.stringify(body.errors)}`);
  return body.data!;
}

function versionInput(i: number) {
  return {
    namespace: "bench",
    dataset: `events-${i % 20}`,
    uri: `s3://bench/events/${i}`,
    digest: `sha256:${randomUUID().replaceAll("-", "")}${randomUUID().replaceAll("-", "")}`,
    format: "PARQUET",
    rowCount: 1_000 + i,
    schema: [
      { name: "user_id", type: "string" },
      { name: "amount", type: "double" },
    ],
  };
}

async function main() {
  const databaseUrl = await recreateBenchDatabase("pedigree_bench_authz");
  const server = await startServerProcess({
    DATABASE_URL: databaseUrl,
    PEDIGREE_IN_PROCESS_WORKERS: "off",
    PEDIGREE_GRAPH_PROJECTOR: "off",
  });
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 8 });
  try {
    await graphql(server.url, `mutation { registerNamespace(input: { name: "bench" }) { created } }`, {});
    const tokenOf = async (email: string, role: string, namespace?: string) => {
      const { createUser } = await graphql(
        server.url,
        `mutation($email: String!) { createUser(input: { email: $email }) { id } }`,
        {
          email,
        },
      );
      await graphql(server.url, `mutation($input: RoleBindingInput!) { grantRole(input: $input) { id } }`, {
        input: { userId: createUser.id, role, ...(namespace ? { namespace } : {}) },
      });
      const { createApiToken } = await graphql(
        server.url,
        `mutation($userId: ID!) { createApiToken(input: { name: "bench", userId: $userId }) { secret } }`,
        { userId: createUser.id },
      );
      return { authorization: `Bearer ${createApiToken.secret as string}` };
    };
    const headers: Record<Exclude<Variant, "raw INSERT (pg)">, Record<string, string>> = {
      "anonymous ADMIN": {},
      "token, global ADMIN": await tokenOf("admin@bench.local", "ADMIN"),
      "token, namespace EDITOR": await tokenOf("editor@bench.local", "EDITOR", "bench"),
    };
    // The datasets exist before timing starts (the first version of each creates it).
    for (let i = 0; i < 20; i++) await graphql(server.url, REGISTER, { input: versionInput(i) });
    const { rows } = await pool.query<{ id: string }>("SELECT id::text FROM dataset ORDER BY name LIMIT 1");
    const datasetId = rows[0]!.id;
    let serial = 1_000_000;
    const rawInsert = async () => {
      serial += 1;
      await pool.query(
        `INSERT INTO dataset_version (id, dataset_id, version, uri, format, digest, schema_fields, row_count)
         VALUES (gen_random_uuid(), $1::uuid, $2, $3, 'PARQUET', $4, $5::jsonb, $6)`,
        [
          datasetId,
          serial,
          `s3://bench/raw/${serial}`,
          `sha256:${randomUUID()}`,
          JSON.stringify([{ name: "user_id", type: "string" }]),
          serial,
        ],
      );
    };
    const write = (variant: Variant) => {
      if (variant === "raw INSERT (pg)") return rawInsert();
      serial += 1;
      return graphql(server.url, REGISTER, { input: versionInput(serial) }, headers[variant]);
    };

    console.log(`# authorization + audit on a write: ${ROUNDS} rounds × ${PER_ROUND} writes per variant and client count`);
    console.log("| clients | variant | p50 ms | p99 ms | writes/s |");
    console.log("| --- | --- | --- | --- | --- |");
    for (const clients of CLIENTS) {
      const samples = new Map<Variant, number[]>(VARIANTS.map((variant) => [variant, []]));
      const busyMs = new Map<Variant, number>(VARIANTS.map((variant) => [variant, 0]));
      for (const variant of VARIANTS) for (let i = 0; i < 20; i++) await write(variant); // warm-up
      for (let round = 0; round < ROUNDS; round++) {
        for (const variant of VARIANTS) {
          let left = PER_ROUND;
          const started = performance.now();
          await Promise.all(
            Array.from({ length: clients }, async () => {
              while (left > 0) {
                left -= 1;
                const at = performance.now();
                await write(variant);
                samples.get(variant)!.push(performance.now() - at);
              }
            }),
          );
          busyMs.set(variant, busyMs.get(variant)! + performance.now() - started);
        }
        process.stderr.write(`\r  ${clients} client(s): round ${round + 1}/${ROUNDS}`);
      }
      process.stderr.write("\n");
      for (const variant of VARIANTS) {
        const summary = summarize(samples.get(variant)!);
        const rate = (ROUNDS * PER_ROUND) / (busyMs.get(variant)! / 1_000);
        console.log(`| ${clients} | ${variant} | ${fmt(summary.p50)} | ${fmt(summary.p99)} | ${fmt(rate, 0)} |`);
      }
    }
    const audit = await pool.query<{ count: string; with_role: string }>(
      "SELECT count(*)::text AS count, count(role)::text AS with_role FROM audit_event",
    );
    console.log(`\naudit events written: ${audit.rows[0]!.count} (${audit.rows[0]!.with_role} with the role that allowed them)`);
    console.log(
      `machine: ${(await import("node:os")).cpus().length} cores, load ${(await import("node:os"))
        .loadavg()
        .map((l) => fmt(l, 1))
        .join(" ")}`,
    );
  } finally {
    await pool.end();
    await server.stop();
  }
}

await main();
