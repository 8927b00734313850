/** Settings of the predict path, read once from the environment (see README "Predict"). */
export interface ServingConfig {
  /**
   * How long the first request of a micro-batch waits for others, in µs (timers have 1 ms
   * resolution). 0 batches the requests that arrive in the same event-loop turn, which under load
   * is most of them: on a quiet 2-core machine it served as many requests per second as a 1 ms
   * window at 16 and 64 clients, and a lone client's p99 fell from 6.8 to 3.3 ms
   * (bench/predict.ts compares both). @defaultValue 0
   */
  batchWindowMicros: number;
  /** A micro-batch runs as soon as it holds this many rows. @defaultValue 256 */
  maxBatchRows: number;
  /** Most ONNX sessions (model versions) kept loaded; the least recently used is released first. @defaultValue 16 */
  maxSessions: number;
  /** How long a deployment's route (its current traffic split) is reused before it is read again, in ms. @defaultValue 1000 */
  routeCacheMs: number;
  /** Fraction of predicted rows written to the prediction log, 0–1. @defaultValue 1 */
  predictionSampleRate: number;
  /** Largest predict request body in bytes. @defaultValue 1 MiB */
  maxBodyBytes: number;
  /** Most rows in one predict request. @defaultValue 10,000 */
  maxRows: number;
  /** How often buffered statistics and prediction-log rows are written, in ms. @defaultValue 1000 */
  flushIntervalMs: number;
  /** Most prediction-log rows buffered between flushes; beyond it rows are dropped (and counted). @defaultValue 50,000 */
  maxBufferedLogRows: number;
}

function numberFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number, integer = true): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min || value > max) {
    throw new Error(
      `Environment variable ${name} must be ${integer ? "an integer" : "a number"} between ${min} and ${max}; got "${raw}".`,
    );
  }
  return value;
}

export function loadServingConfig(env: NodeJS.ProcessEnv = process.env): ServingConfig {
  return {
    batchWindowMicros: numberFromEnv(env, "PEDIGREE_PREDICT_BATCH_WINDOW_US", 0, 0, 1_000_000),
    maxBatchRows: numberFromEnv(env, "PEDIGREE_PREDICT_MAX_BATCH_ROWS", 256, 1, 100_000),
    maxSessions: numberFromEnv(env, "PEDIGREE_SERVING_MAX_SESSIONS", 16, 1, 1_000),
    routeCacheMs: numberFromEnv(env, "PEDIGREE_SERVING_ROUTE_CACHE_MS", 1_000, 0, 600_000),
    predictionSampleRate: numberFromEnv(env, "PEDIGREE_PREDICTION_SAMPLE_RATE", 1, 0, 1, false),
    maxBodyBytes: numberFromEnv(env, "PEDIGREE_PREDICT_MAX_BODY_BYTES", 1024 * 1024, 1_024, 256 * 1024 * 1024),
    maxRows: numberFromEnv(env, "PEDIGREE_PREDICT_MAX_ROWS", 10_000, 1, 1_000_000),
    flushIntervalMs: numberFromEnv(env, "PEDIGREE_SERVING_FLUSH_INTERVAL_MS", 1_000, 10, 600_000),
    maxBufferedLogRows: numberFromEnv(env, "PEDIGREE_PREDICTION_LOG_MAX_BUFFER", 50_000, 0, 10_000_000),
  };
}
