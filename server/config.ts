import { join, resolve } from "node:path";
import { MAX_TRAVERSAL_DEPTH, MAX_TRAVERSAL_NODES } from "../graph/lineage-store.js";
import { ROLE_NAMES, type RoleName } from "./access/role.js";
import { loadServingConfig, type ServingConfig } from "./serving/serving-config.js";
import { type ExportSettings, loadExportSettings } from "./export/export-settings.js";

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
  /** Largest accepted GraphQL WebSocket message in bytes. @defaultValue 64 KiB */
  wsMaxMessageBytes: number;
  /** Bolt URL of Neo4j; when unset lineage is answered by the Postgres store alone. */
  neo4jUrl: string | undefined;
  /** Neo4j user for basic auth; unset connects without authentication. */
  neo4jUser: string | undefined;
  neo4jPassword: string | undefined;
  /** Redis URL for BullMQ; unset queues on Postgres (the server of DATABASE_URL, or an embedded PGlite). */
  redisUrl: string | undefined;
  /** Run the queue workers inside this process. @defaultValue true when embedded, false with DATABASE_URL (run `npm run workers`) */
  inProcessWorkers: boolean;
  /** Where trained model artifacts are stored. @defaultValue <dataDir>/artifacts */
  artifactDir: string;
  /** Run the graph projector in this process (when Neo4j is configured). @defaultValue true */
  graphProjector: boolean;
  /** Caps on one lineage request. @defaultValue depth 10, 2,000 nodes */
  lineageMaxDepth: number;
  lineageMaxNodes: number;
  /** EVENTUAL lineage reads fall back to Postgres when the projection is further behind. @defaultValue 30 */
  graphMaxLagSeconds: number;
  /** How long a LATEST lineage read waits for the projection. @defaultValue 2000 */
  graphConsistencyTimeoutMs: number;
  /** A Neo4j lineage query slower than this is answered from Postgres instead. @defaultValue 5000 */
  graphQueryTimeoutMs: number;
  /** Predict path: micro-batching, session cache, sampling, limits (PEDIGREE_PREDICT_*, PEDIGREE_SERVING_*). */
  serving: ServingConfig;
  /** Every deployment is monitored on this schedule (BullMQ job schedulers); 0 turns scheduling off. @defaultValue 300000 */
  monitorIntervalMs: number;
  /** Schema introspection (and "Did you mean" suggestions in errors). @defaultValue on, off when NODE_ENV=production */
  introspection: boolean;
  /** Requests per minute per client (bearer token, else address) on /graphql and /v1; 0 turns limiting off. @defaultValue 6000 */
  rateLimitPerMinute: number;
  /**
   * The role of requests that present no API token; null refuses them with 401. Set it (e.g.
   * VIEWER for a read-only internal explorer) only where the network is trusted.
   * @defaultValue null (PEDIGREE_ANONYMOUS_ROLE)
   */
  anonymousRole: RoleName | null;
  /** First admin, created (with a global ADMIN role) on start when missing. */
  adminEmail: string | undefined;
  /** A token (pdg_…) for that admin; only its SHA-256 is stored. Needs adminEmail. */
  adminToken: string | undefined;
  /** Compliance exports: folder (PEDIGREE_EXPORT_DIR, default <dataDir>/exports) and download TTL (PEDIGREE_EXPORT_TTL_HOURS, default 24). */
  exports: ExportSettings;
  /** OpenLineage ingestion (POST /api/v1/lineage): largest body after gzip is undone, and most events per request. @defaultValue 16 MiB, 5,000 */
  openLineage: { maxBodyBytes: number; maxBatchEvents: number };
}

function intFromEnv(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`Environment variable ${name} must be a non-negative integer; got "${raw}".`);
  }
  return value;
}

function boundedIntFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const value = intFromEnv(name, fallback, env);
  if (value < min || value > max) {
    throw new Error(`Environment variable ${name} must be between ${min} and ${max}; got ${value}.`);
  }
  return value;
}

function booleanFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === "") return fallback;
  if (["1", "true", "on", "yes"].includes(raw)) return true;
  if (["0", "false", "off", "no"].includes(raw)) return false;
  throw new Error(`Environment variable ${name} must be on or off; got "${env[name]}".`);
}

/** A role name such as VIEWER (any case), or null when unset. */
function roleFromEnv(env: NodeJS.ProcessEnv, name: string): RoleName | null {
  const value = env[name]?.trim();
  if (!value) return null;
  const role = ROLE_NAMES.find((candidate) => candidate === value.toUpperCase());
  if (!role) throw new Error(`${name} must be one of ${ROLE_NAMES.join(", ")} (or unset to refuse requests without a token).`);
  return role;
}

/** PEDIGREE_MONITOR_INTERVAL_MS: 0 (off), or at least a second and at most a day. */
function monitorIntervalFromEnv(env: NodeJS.ProcessEnv): number {
  const value = intFromEnv("PEDIGREE_MONITOR_INTERVAL_MS", 300_000, env);
  if (value !== 0 && (value < 1_000 || value > 86_400_000)) {
    throw new Error(
      `Environment variable PEDIGREE_MONITOR_INTERVAL_MS must be 0 (off) or between 1000 and 86400000; got ${value}.`,
    );
  }
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): PedigreeConfig {
  return {
    port: intFromEnv("PORT", 4000, env),
    host: env.HOST ?? "0.0.0.0",
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.PEDIGREE_DATA_DIR ?? ".pedigree"),
    logLevel: env.LOG_LEVEL ?? "info",
    maxBodyBytes: intFromEnv("PEDIGREE_MAX_BODY_BYTES", 2 * 1024 * 1024, env),
    wsMaxMessageBytes: intFromEnv("PEDIGREE_WS_MAX_MESSAGE_BYTES", 64 * 1024, env),
    redisUrl: env.REDIS_URL || undefined,
    inProcessWorkers: booleanFromEnv(env, "PEDIGREE_IN_PROCESS_WORKERS", !env.DATABASE_URL),
    artifactDir: resolve(env.PEDIGREE_ARTIFACT_DIR ?? join(env.PEDIGREE_DATA_DIR ?? ".pedigree", "artifacts")),
    neo4jUrl: env.NEO4J_URL || undefined,
    neo4jUser: env.NEO4J_USER || undefined,
    neo4jPassword: env.NEO4J_PASSWORD || undefined,
    graphProjector: booleanFromEnv(env, "PEDIGREE_GRAPH_PROJECTOR", true),
    lineageMaxDepth: boundedIntFromEnv(env, "PEDIGREE_LINEAGE_MAX_DEPTH", 10, 1, MAX_TRAVERSAL_DEPTH),
    lineageMaxNodes: boundedIntFromEnv(env, "PEDIGREE_LINEAGE_MAX_NODES", 2_000, 1, MAX_TRAVERSAL_NODES),
    graphMaxLagSeconds: boundedIntFromEnv(env, "PEDIGREE_GRAPH_MAX_LAG_SECONDS", 30, 0, 86_400),
    graphConsistencyTimeoutMs: boundedIntFromEnv(env, "PEDIGREE_GRAPH_CONSISTENCY_TIMEOUT_MS", 2_000, 0, 60_000),
    graphQueryTimeoutMs: boundedIntFromEnv(env, "PEDIGREE_GRAPH_QUERY_TIMEOUT_MS", 5_000, 100, 120_000),
    serving: loadServingConfig(env),
    monitorIntervalMs: monitorIntervalFromEnv(env),
    introspection: booleanFromEnv(env, "PEDIGREE_INTROSPECTION", env.NODE_ENV !== "production"),
    rateLimitPerMinute: intFromEnv("PEDIGREE_RATE_LIMIT_PER_MINUTE", 6_000, env),
    anonymousRole: roleFromEnv(env, "PEDIGREE_ANONYMOUS_ROLE"),
    adminEmail: env.PEDIGREE_ADMIN_EMAIL || undefined,
    adminToken: env.PEDIGREE_ADMIN_TOKEN || undefined,
    exports: loadExportSettings(env),
    openLineage: {
      maxBodyBytes: boundedIntFromEnv(env, "PEDIGREE_OPENLINEAGE_MAX_BODY_BYTES", 16 * 1024 * 1024, 1_024, 1_073_741_824),
      maxBatchEvents: boundedIntFromEnv(env, "PEDIGREE_OPENLINEAGE_MAX_BATCH_EVENTS", 5_000, 1, 100_000),
    },
  };
}
