// A Neo4j of the benchmark's own (scripts/services.sh with a private state folder and port), so
// that loading a million nodes never touches the shared instance the tests use.
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export const PRIVATE_NEO4J = {
  dir: process.env.BENCH_NEO4J_DIR ?? "/tmp/pedigree-bench-neo4j",
  port: Number(process.env.BENCH_NEO4J_PORT ?? 57690),
  heap: process.env.BENCH_NEO4J_HEAP ?? "4g",
  // The 1M graph's store is about 3 GiB; the dev default (128 MiB) would measure page faults.
  pageCache: process.env.BENCH_NEO4J_PAGECACHE ?? "4g",
};

export const privateNeo4jUrl = () => `bolt://127.0.0.1:${PRIVATE_NEO4J.port}`;

function services(command: "up" | "down"): void {
  const result = spawnSync("bash", ["scripts/services.sh", command, "neo4j"], {
    cwd: ROOT,
    stdio: ["ignore", "inherit", "inherit"],
    env: {
      ...process.env,
      PEDIGREE_SERVICES_DIR: PRIVATE_NEO4J.dir,
      PEDIGREE_NEO4J_PORT: String(PRIVATE_NEO4J.port),
      PEDIGREE_NEO4J_HEAP: PRIVATE_NEO4J.heap,
      PEDIGREE_NEO4J_PAGECACHE: PRIVATE_NEO4J.pageCache,
    },
  });
  if (result.status !== 0) throw new Error(`services.sh ${command} neo4j (private, port ${PRIVATE_NEO4J.port}) failed`);
}

export function startPrivateNeo4j(): void {
  services("up");
}

export function stopPrivateNeo4j(): void {
  services("down");
}

/** Stops the private instance, deletes its database files and starts it empty (faster than deleting 5M edges). */
export function restartPrivateNeo4jEmpty(): void {
  services("down");
  rmSync(`${PRIVATE_NEO4J.dir}/neo4j/data`, { recursive: true, force: true });
  services("up");
}
