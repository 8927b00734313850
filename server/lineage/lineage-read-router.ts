import { setTimeout as sleep } from "node:timers/promises";
import type { LineageStore } from "../../graph/lineage-store.js";
import { PedigreeError } from "../errors/pedigree-error.js";
import { DeadlineExceededError, within } from "../lib/deadline.js";
import type { Logger } from "../lib/logger.js";
import type { GraphProjectionRepository } from "./graph-projection.repository.js";
import type { GraphProjectionWorker } from "./graph-projection-worker.js";
import type { GraphStoreConnection } from "./graph-store-connection.js";

/**
 * EVENTUAL answers from the graph projection as it stands (falling back when it is far behind or
 * down); LATEST first waits, up to a timeout, for the projection to include every committed write.
 */
export type LineageConsistency = "EVENTUAL" | "LATEST";

/** Why the system of record answered although a graph store is configured. */
export type LineageFallback = "none" | "unavailable" | "behind" | "timeout" | "error";

export interface LineageReadSource {
  store: string;
  /** True when the answer reflects every write committed before the read began. */
  consistent: boolean;
  /** How far the graph projection was behind when the read was routed (0 without a projection). */
  lagRows: number;
  lagSeconds: number;
  fallback: LineageFallback;
  /** A sentence for people, set when `fallback` is not "none". */
  reason: string | null;
}

export interface GraphReadSettings {
  /** Checkpoint name of the projection the graph store holds. */
  projectionName: string;
  /** EVENTUAL reads fall back to Postgres beyond this lag. @defaultValue 30 */
  maxLagSeconds: number;
  /** How long a LATEST read waits for the projection. @defaultValue 2000 */
  consistencyTimeoutMs: number;
  /** A graph query taking longer is abandoned and answered from Postgres. @defaultValue 5000 */
  queryTimeoutMs: number;
}

export const DEFAULT_GRAPH_READ_SETTINGS: Omit<GraphReadSettings, "projectionName"> = {
  maxLagSeconds: 30,
  consistencyTimeoutMs: 2_000,
  queryTimeoutMs: 5_000,
};

export interface GraphReadTarget {
  connection: GraphStoreConnection;
  projection: GraphProjectionRepository;
  /** The projector of this process, when it runs one (woken by LATEST reads, watched for health). */
  worker: GraphProjectionWorker | undefined;
  settings: GraphReadSettings;
}

/**
 * Sends each lineage read to the Neo4j projection when it can answer well enough, and to the
 * Postgres system of record otherwise — never waiting longer than the configured timeouts, and
 * always saying which store answered and why.
 */
export class LineageReadRouter {
  constructor(
    private readonly postgres: LineageStore,
    private readonly graph: GraphReadTarget | undefined,
    private readonly logger: Logger,
    private readonly observe: (store: string, fallback: LineageFallback) => void = () => undefined,
  ) {}

  get graphConfigured(): boolean {
    return this.graph !== undefined;
  }

  async read<T>(
    consistency: LineageConsistency,
    query: (store: LineageStore) => Promise<T>,
  ): Promise<{ result: T; source: LineageReadSource }> {
    const graph = this.graph;
    if (!graph) return this.fromPostgres(query, { lagRows: 0, lagSeconds: 0, fallback: "none", reason: null });

    const worker = graph.worker?.status();
    if (worker && worker.consecutiveFailures > 0) {
      return this.fromPostgres(query, {
        ...(await this.lag(graph)),
        fallback: "unavailable",
        reason: `The Neo4j projection is unavailable (${worker.lastError ?? "unknown error"}); answered from Postgres.`,
      });
    }

    let lag = await this.lag(graph);
    if (consistency === "LATEST" && lag.lagRows > 0) {
      const caughtUp = await this.waitForProjection(graph);
      if (!caughtUp) {
        lag = await this.lag(graph);
        return this.fromPostgres(query, {
          ...lag,
          fallback: "behind",
          reason: `The Neo4j projection was still ${lag.lagRows} outbox rows behind after ${graph.settings.consistencyTimeoutMs} ms; answered from Postgres.`,
        });
      }
      lag = { lagRows: 0, lagSeconds: 0 };
    }
    if (lag.lagSeconds > graph.settings.maxLagSeconds) {
      return this.fromPostgres(query, {
        ...lag,
        fallback: "behind",
        reason: `The Neo4j projection is ${Math.round(lag.lagSeconds)} s (${lag.lagRows} outbox rows) behind; answered from Postgres.`,
      });
    }

    try {
      const result = await within(
        graph.connection.get().then((store) => query(store)),
        graph.settings.queryTimeoutMs,
        "the graph store",
      );
      this.observe("neo4j", "none");
      return {
        result,
        source: { store: "neo4j", consistent: lag.lagRows === 0, ...lag, fallback: "none", reason: null },
      };
    } catch (error) {
      // Input errors are the caller's, whichever store saw them first.
      if (error instanceof PedigreeError || error instanceof RangeError) throw error;
      const timedOut = error instanceof DeadlineExceededError;
      this.logger.warn({ err: error }, "lineage read on Neo4j failed; answering from Postgres");
      return this.fromPostgres(query, {
        ...lag,
        fallback: timedOut ? "timeout" : "error",
        reason: timedOut
          ? `Neo4j did not answer within ${graph.settings.queryTimeoutMs} ms; answered from Postgres.`
          : `Neo4j could not answer (${error instanceof Error ? error.message : String(error)}); answered from Postgres.`,
      });
    }
  }

  private async fromPostgres<T>(
    query: (store: LineageStore) => Promise<T>,
    source: Omit<LineageReadSource, "store" | "consistent">,
  ): Promise<{ result: T; source: LineageReadSource }> {
    const result = await query(this.postgres);
    this.observe("postgres", source.fallback);
    return { result, source: { store: this.postgres.name, consistent: true, ...source } };
  }

  /**
   * Lag of the projection, read for every query (one indexed statement): `consistent` must be true
   * only when the graph had applied every committed write as the query began.
   */
  private async lag(graph: GraphReadTarget): Promise<{ lagRows: number; lagSeconds: number }> {
    const lag = await graph.projection.lag(graph.settings.projectionName);
    return { lagRows: lag.rows, lagSeconds: lag.seconds };
  }

  /** Waits until the projection has applied every outbox row committed before the call. */
  private async waitForProjection(graph: GraphReadTarget): Promise<boolean> {
    const target = await graph.projection.head();
    const deadline = Date.now() + graph.settings.consistencyTimeoutMs;
    graph.worker?.wake();
    for (;;) {
      if ((await graph.projection.checkpoint(graph.settings.projectionName)) >= target) return true;
      if (Date.now() >= deadline) return false;
      await sleep(Math.min(20, Math.max(1, deadline - Date.now())));
    }
  }
}
