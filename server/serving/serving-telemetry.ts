import type { Logger } from "../lib/logger.js";
import { emptyLatencyCounts, latencyBucketIndex } from "./latency-histogram.js";
import type { PredictionLogRepository, PredictionLogRow } from "./prediction-log.repository.js";
import { type ServingStatsIncrement, type ServingStatsRepository, servingStatsBucketStart } from "./serving-stats.repository.js";

export interface ServingTelemetryOptions {
  flushIntervalMs: number;
  maxBufferedLogRows: number;
  onDroppedLogRows(count: number): void;
}

/**
 * Buffers serving statistics and sampled prediction-log rows in memory and writes them in one
 * batch about every `flushIntervalMs` and at close — never on the request path. A failed write is
 * logged and its data dropped (telemetry must not grow without bound while the database is away).
 */
export class ServingTelemetry {
  private stats = new Map<string, ServingStatsIncrement>();
  private logRows: PredictionLogRow[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly statsRepository: ServingStatsRepository,
    private readonly logRepository: PredictionLogRepository,
    private readonly logger: Logger,
    private readonly options: ServingTelemetryOptions,
  ) {}

  /** Counts one request that a model version answered (or failed) after `latencyMs`. */
  observe(deploymentId: string, modelVersionId: string, latencyMs: number, failed: boolean, at = Date.now()): void {
    const bucketStart = servingStatsBucketStart(at);
    const key = `${deploymentId}|${modelVersionId}|${bucketStart.getTime()}`;
    let increment = this.stats.get(key);
    if (!increment) {
      increment = {
        deploymentId,
        modelVersionId,
        bucketStart,
        requests: 0,
        errors: 0,
        latencySumMs: 0,
        latencyCounts: emptyLatencyCounts(),
      };
      this.stats.set(key, increment);
    }
    increment.requests += 1;
    if (failed) increment.errors += 1;
    increment.latencySumMs += latencyMs;
    increment.latencyCounts[latencyBucketIndex(latencyMs)]! += 1;
    this.startTimer();
  }

  /** Queues prediction-log rows; beyond the buffer limit they are dropped and counted. */
  log(rows: PredictionLogRow[]): void {
    const room = this.options.maxBufferedLogRows - this.logRows.length;
    if (room < rows.length) this.options.onDroppedLogRows(rows.length - Math.max(room, 0));
    if (room <= 0) return;
    for (const row of room < rows.length ? rows.slice(0, room) : rows) this.logRows.push(row);
    this.startTimer();
  }

  /** Writes everything buffered so far (waits for a flush already running first). */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.write());
    return this.flushing;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  private startTimer(): void {
    if (this.timer || this.closed) return;
    this.timer = setInterval(() => void this.flush(), this.options.flushIntervalMs);
    // Buffered telemetry must not keep a process alive; close() flushes it.
    this.timer.unref();
  }

  private async write(): Promise<void> {
    const increments = [...this.stats.values()];
    const rows = this.logRows;
    this.stats = new Map();
    this.logRows = [];
    if (increments.length > 0) {
      try {
        await this.statsRepository.add(increments);
      } catch (error) {
        this.logger.warn({ err: error, buckets: increments.length }, "serving statistics could not be written; dropped");
      }
    }
    if (rows.length > 0) {
      try {
        await this.logRepository.append(rows);
      } catch (error) {
        this.options.onDroppedLogRows(rows.length);
        this.logger.warn({ err: error, rows: rows.length }, "prediction log rows could not be written; dropped");
      }
    }
  }
}
