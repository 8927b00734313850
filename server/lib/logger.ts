import { type DestinationStream, type Logger, pino } from "pino";

export type { Logger };

/** Keys whose values are secrets wherever they appear in a logged object (up to three levels deep). */
const SECRET_KEYS = [
  "authorization",
  "Authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "connectionParams",
  "token",
  "accessToken",
  "apiToken",
  "bearer",
  "secret",
  "password",
  "neo4jPassword",
  "NEO4J_PASSWORD",
  "PEDIGREE_ADMIN_TOKEN",
];

/** Keys holding connection URLs: logged with their password (and any token in the query) masked. */
const URL_KEYS = ["databaseUrl", "redisUrl", "neo4jUrl", "url", "DATABASE_URL", "REDIS_URL", "NEO4J_URL"];

export const REDACTED = "[redacted]";

function pathsFor(keys: string[]): string[] {
  return keys.flatMap((key) =>
    /^[A-Za-z_$][\w$]*$/.test(key)
      ? [key, `*.${key}`, `*.*.${key}`]
      : // Header names with a dash only ever appear inside a headers object.
        [`*["${key}"]`, `*.*["${key}"]`],
  );
}

/** `postgres://user:secret@host/db?x=y` → `postgres://user:***@host/db` (a query may hold a token too). */
export function maskUrlCredentials(value: string): string {
  try {
    const url = new URL(value);
    if (url.password) url.password = "***";
    if (url.search) url.search = "";
    return url.toString();
  } catch {
    // Not a URL we can read: it may still hold a credential.
    return REDACTED;
  }
}

/**
 * pino logger of the API and workers. Secrets never reach the log: authorization headers,
 * WebSocket connectionParams, tokens and passwords are replaced, and connection URLs keep only
 * their non-secret parts, at any of the first three levels of a logged object.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: "pedigree" },
    redact: {
      paths: pathsFor([...SECRET_KEYS, ...URL_KEYS]),
      censor: (value: unknown, path: string[]) =>
        typeof value === "string" && URL_KEYS.includes(path[path.length - 1] ?? "") ? maskUrlCredentials(value) : REDACTED,
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
