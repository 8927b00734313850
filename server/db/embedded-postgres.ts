import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

/** A PGlite database served on a loopback port so every client speaks the ordinary Postgres wire protocol. */
export interface EmbeddedPostgres {
  /** postgres:// URL of the loopback socket. */
  url: string;
  close(): Promise<void>;
}

export class DataDirLockedError extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `The data folder ${dataDir} is in use by another Pedigree process (pid ${pid}). ` +
        "Stop it first, or set PEDIGREE_DATA_DIR to another folder.",
    );
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * PGlite has no locking of its own: two openers of one folder (two processes, or two opens in one
 * process) would corrupt it. The lock file names the holder; a stale one (dead pid) is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const lockFile = join(dataDir, "pedigree.pid");
  let holder = 0;
  try {
    holder = Number(readFileSync(lockFile, "utf8"));
  } catch {
    // no lock file: the folder is free
  }
  if (holder && isAlive(holder)) throw new DataDirLockedError(dataDir, holder);
  writeFileSync(lockFile, String(process.pid), { flag: "w" });
  return () => rmSync(lockFile, { force: true });
}

/**
 * Opens PGlite in `dataDir` (or in memory when `dataDir` is undefined) and serves it on
 * 127.0.0.1 at a free port.
 */
export async function startEmbeddedPostgres(
  dataDir: string | undefined,
  options: { prepare?: (db: PGlite) => Promise<void> } = {},
): Promise<EmbeddedPostgres> {
  const unlock = dataDir ? lockDataDir(dataDir) : () => {};
  const db = dataDir ? new PGlite(join(dataDir, "pgdata")) : new PGlite();
  await db.waitReady;
  await options.prepare?.(db);
  const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: 0, maxConnections: 100 });
  await server.start();
  const address = server.getServerConn();
  return {
    url: `postgres://postgres@${address}/postgres`,
    async close() {
      await server.stop();
      await db.close();
      unlock();
    },
  };
}
