/** Defaults of canary rollouts; each can be set per rollout, and per process by environment variable. */
export interface RolloutSettings {
  /** PEDIGREE_ROLLOUT_WINDOW_SECONDS: how long the canary must stay healthy. @defaultValue 300 */
  windowSeconds: number;
  /** PEDIGREE_ROLLOUT_MAX_P99_MS: the canary rolls back when its p99 latency is above this. @defaultValue 200 */
  maxP99Ms: number;
  /** The canary rolls back when its error rate is above this fraction. @defaultValue 0.01 (1%) */
  maxErrorRate: number;
  /** PEDIGREE_ROLLOUT_MIN_REQUESTS: requests the canary must serve over the window to be promoted. @defaultValue 1 */
  minRequests: number;
  /** PEDIGREE_ROLLOUT_CHECK_INTERVAL_MS: time between two health checks of a canary. @defaultValue 5000 */
  checkIntervalMs: number;
}

export const MAX_ROLLOUT_WINDOW_SECONDS = 7 * 24 * 3600;

function numberFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new Error(`Environment variable ${name} must be a number between ${min} and ${max}; got "${raw}".`);
  }
  return value;
}

export function rolloutSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): RolloutSettings {
  return {
    windowSeconds: numberFromEnv(env, "PEDIGREE_ROLLOUT_WINDOW_SECONDS", 300, 1, MAX_ROLLOUT_WINDOW_SECONDS),
    maxP99Ms: numberFromEnv(env, "PEDIGREE_ROLLOUT_MAX_P99_MS", 200, 0.001, 3_600_000),
    maxErrorRate: 0.01,
    minRequests: numberFromEnv(env, "PEDIGREE_ROLLOUT_MIN_REQUESTS", 1, 0, 1_000_000_000),
    checkIntervalMs: numberFromEnv(env, "PEDIGREE_ROLLOUT_CHECK_INTERVAL_MS", 5_000, 50, 3_600_000),
  };
}
