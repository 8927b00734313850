import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "../lib/logger.js";
import type { GraphProjectionRepository } from "./graph-projection.repository.js";
import { GraphProjector } from "./graph-projector.js";
import type { GraphStoreConnection } from "./graph-store-connection.js";

export interface GraphProjectionWorkerOptions {
  /** Outbox rows per batch. @defaultValue 500 */
  batchSize?: number;
  /** Pause when the outbox is drained (also after a batch that was not full). @defaultValue 100 ms */
  idleDelayMs?: number;
  /** First pause after a failure; doubles per consecutive failure. @defaultValue 200 ms */
  minBackoffMs?: number;
  /** Longest pause after failures. @defaultValue 30 s */
  maxBackoffMs?: number;
}

export interface GraphProjectionWorkerStatus {
  running: boolean;
  /** Failures since the last successful batch; 0 when healthy. */
  consecutiveFailures: number;
  lastError: string | null;
  lastErrorAt: Date | null;
  lastProjectedAt: Date | null;
  /** Outbox rows this process has applied since it started. */
  rowsProjected: number;
}

/**
 * Keeps the graph projection caught up: projects batches while there is work, polls cheaply when
 * there is none, and backs off exponentially (with jitter) while the graph store is unreachable.
 * Several processes may run one; the checkpoint lock lets one project at a time.
 */
export class GraphProjectionWorker {
  private readonly options: Required<GraphProjectionWorkerOptions>;
  private loop: Promise<void> | undefined;
  private stopping = new AbortController();
  private wakeUp: AbortController = new AbortController();
  private wakeRequested = false;
  private readonly state: GraphProjectionWorkerStatus = {
    running: false,
    consecutiveFailures: 0,
    lastError: null,
    lastErrorAt: null,
    lastProjectedAt: null,
    rowsProjected: 0,
  };

  constructor(
    private readonly projection: GraphProjectionRepository,
    private readonly connection: GraphStoreConnection,
    readonly projectionName: string,
    private readonly logger: Logger,
    options: GraphProjectionWorkerOptions = {},
  ) {
    this.options = { batchSize: 500, idleDelayMs: 100, minBackoffMs: 200, maxBackoffMs: 30_000, ...options };
  }

  status(): GraphProjectionWorkerStatus {
    return { ...this.state };
  }

  start(): void {
    if (this.loop) return;
    this.stopping = new AbortController();
    this.state.running = true;
    this.loop = this.run().finally(() => {
      this.state.running = false;
      this.loop = undefined;
    });
  }

  /** Cuts the current pause short (e.g. a reader waiting for a position). */
  wake(): void {
    this.wakeRequested = true;
    this.wakeUp.abort();
  }

  /** Finishes the batch in flight, then stops. */
  async stop(): Promise<void> {
    this.stopping.abort();
    this.wake();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopping.signal.aborted) {
      let pauseMs = this.options.idleDelayMs;
      try {
        const head = await this.projection.head();
        const position = await this.projection.checkpoint(this.projectionName);
        if (head > position) {
          const store = await this.connection.get();
          const projector = new GraphProjector(this.projection, store, this.projectionName);
          const progress = await projector.projectBatch(this.options.batchSize);
          if (progress.rows > 0) {
            this.state.rowsProjected += progress.rows;
            this.state.lastProjectedAt = new Date();
            // A full batch: more is waiting, go on. A partial one caught up: the next round waits the
            // idle delay, so a steady trickle of small writes is projected in batches, not row by row.
            if (progress.rows >= this.options.batchSize) pauseMs = 0;
          }
        }
        if (this.state.consecutiveFailures > 0) {
          this.logger.info({ projection: this.projectionName }, "graph projection recovered");
        }
        this.state.consecutiveFailures = 0;
      } catch (error) {
        this.state.consecutiveFailures += 1;
        this.state.lastError = error instanceof Error ? error.message : String(error);
        this.state.lastErrorAt = new Date();
        pauseMs = this.backoffMs(this.state.consecutiveFailures);
        // Log the first failure and then every tenth: an outage should not flood the log.
        if (this.state.consecutiveFailures % 10 === 1) {
          this.logger.warn(
            { projection: this.projectionName, failures: this.state.consecutiveFailures, retryInMs: pauseMs, err: error },
            "graph projection failed; retrying",
          );
        }
      }
      if (pauseMs > 0) await this.pause(pauseMs);
    }
  }

  private backoffMs(failures: number): number {
    const exponential = Math.min(this.options.maxBackoffMs, this.options.minBackoffMs * 2 ** Math.min(failures - 1, 20));
    return Math.round(exponential * (0.5 + Math.random() / 2));
  }

  private async pause(ms: number): Promise<void> {
    if (this.wakeRequested && this.state.consecutiveFailures === 0) {
      this.wakeRequested = false;
      return;
    }
    this.wakeRequested = false;
    this.wakeUp = new AbortController();
    // A reader's wake-up shortens an idle pause, never a backoff: it must not hammer a server that is down.
    const backingOff = this.state.consecutiveFailures > 0;
    const signal = backingOff ? this.stopping.signal : AbortSignal.any([this.stopping.signal, this.wakeUp.signal]);
    await sleep(ms, undefined, { signal }).catch(() => undefined);
  }
}
