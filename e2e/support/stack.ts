import { type ChildProcess, spawn } from "node:child_process";
import { randomInt } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { seedDemo } from "../../server/demo/demo-seed.js";

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const TOKEN_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** The running stack a browser test talks to: the API and the explorer it started, on free ports. */
export interface TestStack {
  apiUrl: string;
  webUrl: string;
  /** A real API token of the stack's admin. */
  token: string;
  adminEmail: string;
  /** Output of the API and explorer processes, for failure messages. */
  output: () => string;
  stop: () => Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** A token in the API's format (pdg_ + 43 base62), registered for the admin through configuration. */
function generateToken(): string {
  let token = "pdg_";
  for (let index = 0; index < 43; index += 1) token += TOKEN_ALPHABET[randomInt(TOKEN_ALPHABET.length)];
  return token;
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${what} did not come up within ${timeoutMs / 1000} s. Output:\n${output().slice(-4000)}`);
}

/**
 * Starts what `npm start` starts — server/main.ts on an embedded database, which starts the explorer
 * (building it first when web/ changed) — on free ports and a fresh data folder, then loads the demo data.
 */
export async function startStack(options: { demo: boolean }): Promise<TestStack> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "pedigree-e2e-"));
  const apiPort = await freePort();
  const webPort = await freePort();
  const token = generateToken();
  const adminEmail = "e2e-admin@localhost";
  let output = "";
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      PORT: String(apiPort),
      HOST: "127.0.0.1",
      PEDIGREE_DATA_DIR: dataDir,
      PEDIGREE_ADMIN_EMAIL: adminEmail,
      PEDIGREE_ADMIN_TOKEN: token,
      PEDIGREE_WEB: "on",
      PEDIGREE_WEB_PORT: String(webPort),
      PEDIGREE_WEB_HOST: "127.0.0.1",
      PEDIGREE_RATE_LIMIT_PER_MINUTE: "0",
      PEDIGREE_MONITOR_INTERVAL_MS: "0",
      LOG_LEVEL: "warn",
      DATABASE_URL: "",
      REDIS_URL: "",
      NEO4J_URL: "",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const webUrl = `http://127.0.0.1:${webPort}`;
  const stop = async () => {
    if (child.exitCode === null) child.kill("SIGTERM");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
    if (child.exitCode === null) child.kill("SIGKILL");
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const alive = async () => {
      if (child.exitCode !== null) throw new Error(`server/main.ts exited with ${child.exitCode}:\n${output}`);
      return true;
    };
    await waitFor(
      "The API",
      async () => (await alive()) && (await fetch(`${apiUrl}/healthz`)).ok,
      120_000,
      () => output,
    );
    // The API refuses anonymous writes: the seed calls it with the admin's token.
    if (options.demo) await seedDemo(`${apiUrl}/graphql`, { artifactDir: path.join(dataDir, "artifacts"), token });
    // The first start builds the explorer (next build), which takes a while on 2 cores.
    await waitFor(
      "The explorer",
      async () => (await alive()) && (await fetch(`${webUrl}/sign-in`)).ok,
      420_000,
      () => output,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { apiUrl, webUrl, token, adminEmail, output: () => output, stop };
}
