import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const SERVICES_SCRIPT = fileURLToPath(new URL("../../scripts/services.sh", import.meta.url));

/** A Neo4j of its own for a test that stops and starts the server (the shared one must stay up). */
export interface PrivateNeo4j {
  url: string;
  /** Data folder (kept across stop/start: a restart finds what was written before). */
  dir: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Stops the server and deletes its data. */
  dispose(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** Starts a fresh Neo4j through scripts/services.sh on a free port, with its state in a temp folder. */
export async function startPrivateNeo4j(): Promise<PrivateNeo4j> {
  const dir = await mkdtemp(join(tmpdir(), "pedigree-neo4j-"));
  const port = await freePort();
  const env = { ...process.env, PEDIGREE_SERVICES_DIR: dir, PEDIGREE_NEO4J_PORT: String(port), PEDIGREE_NEO4J_HEAP: "256m" };
  const services = (command: "up" | "down") => run("bash", [SERVICES_SCRIPT, command, "neo4j"], { env, timeout: 180_000 });
  const neo4j: PrivateNeo4j = {
    url: `bolt://127.0.0.1:${port}`,
    dir,
    start: async () => {
      await services("up");
    },
    stop: async () => {
      await services("down");
    },
    dispose: async () => {
      await services("down").catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
  await neo4j.start();
  return neo4j;
}
