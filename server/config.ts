import { resolve } from "node:path";

/** Runtime configuration, read once from the environment. */
export interface PedigreeConfig {
  /** HTTP port. @defaultValue 4000 */
  port: number;
  /** Interface to listen on. @defaultValue "0.0.0.0" */
  host: string;
  /** Postgres server URL; when unset Pedigree runs embedded on PGlite. */
  databaseUrl: string | undefined;
  /** Folder of the embedded PGlite database. @defaultValue "./.pedigree" */
  dataDir: string;
  /** Log level for pino. @defaultValue "info" */
  logLevel: string;
  /** Largest accepted request body in bytes. @defaultValue 2 MiB */
  maxBodyBytes: number;
}

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`Environment variable ${name} must be a non-negative integer; got "${raw}".`);
  }
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): PedigreeConfig {
  return {
    port: intFromEnv("PORT", 4000),
    host: env.HOST ?? "0.0.0.0",
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.PEDIGREE_DATA_DIR ?? ".pedigree"),
    logLevel: env.LOG_LEVEL ?? "info",
    maxBodyBytes: intFromEnv("PEDIGREE_MAX_BODY_BYTES", 2 * 1024 * 1024),
  };
}
