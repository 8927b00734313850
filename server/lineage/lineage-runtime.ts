import { Neo4jLineageStore } from "../../graph/neo4j/neo4j-lineage-store.js";
import { PostgresLineageStore } from "../../graph/postgres/postgres-lineage-store.js";
import type { PedigreeConfig } from "../config.js";
import type { Database } from "../db/database.js";
import type { Logger } from "../lib/logger.js";
import { GraphProjectionRepository } from "./graph-projection.repository.js";
import { GraphProjectionWorker, type GraphProjectionWorkerStatus } from "./graph-projection-worker.js";
import { GraphStoreConnection } from "./graph-store-connection.js";
import { type LineageFallback, LineageReadRouter } from "./lineage-read-router.js";

/** Checkpoint name of the Neo4j projection. */
export const NEO4J_PROJECTION = "neo4j";

export interface GraphProjectionStatus {
  /** False when no graph store is configured: the Postgres store answers every lineage read. */
  configured: boolean;
  store: string;
  /** Last outbox position applied, and the newest one written. */
  position: number;
  head: number;
  lagRows: number;
  lagSeconds: number;
  /** The projector of this process, when it runs one. */
  worker: GraphProjectionWorkerStatus | null;
}

export type LineageRuntimeConfig = Pick<
  PedigreeConfig,
  | "neo4jUrl"
  | "neo4jUser"
  | "neo4jPassword"
  | "graphProjector"
  | "graphMaxLagSeconds"
  | "graphConsistencyTimeoutMs"
  | "graphQueryTimeoutMs"
  | "lineageMaxDepth"
  | "lineageMaxNodes"
>;

/**
 * The lineage read path and, with Neo4j configured, the projection that feeds it: one object per
 * process, started after the database is open and closed before it.
 */
export class LineageRuntime {
  readonly reads: LineageReadRouter;
  readonly limits: { maxDepth: number; maxNodes: number };
  private readonly connection: GraphStoreConnection | undefined;
  private readonly projection: GraphProjectionRepository;
  private readonly worker: GraphProjectionWorker | undefined;

  constructor(
    db: Database,
    config: LineageRuntimeConfig,
    logger: Logger,
    observeRead?: (store: string, fallback: LineageFallback) => void,
  ) {
    this.limits = { maxDepth: config.lineageMaxDepth, maxNodes: config.lineageMaxNodes };
    this.projection = new GraphProjectionRepository(db);
    const postgres = new PostgresLineageStore(db.pool);
    const neo4jUrl = config.neo4jUrl;
    if (!neo4jUrl) {
      this.reads = new LineageReadRouter(postgres, undefined, logger, observeRead);
      return;
    }
    this.connection = new GraphStoreConnection(() =>
      Neo4jLineageStore.open({
        url: neo4jUrl,
        ...(config.neo4jUser ? { user: config.neo4jUser, password: config.neo4jPassword ?? "" } : {}),
      }),
    );
    if (config.graphProjector) {
      this.worker = new GraphProjectionWorker(this.projection, this.connection, NEO4J_PROJECTION, logger);
    }
    this.reads = new LineageReadRouter(
      postgres,
      {
        connection: this.connection,
        projection: this.projection,
        worker: this.worker,
        settings: {
          projectionName: NEO4J_PROJECTION,
          maxLagSeconds: config.graphMaxLagSeconds,
          consistencyTimeoutMs: config.graphConsistencyTimeoutMs,
          queryTimeoutMs: config.graphQueryTimeoutMs,
        },
      },
      logger,
      observeRead,
    );
  }

  start(): void {
    this.worker?.start();
  }

  async status(): Promise<GraphProjectionStatus> {
    if (!this.connection) {
      return { configured: false, store: "postgres", position: 0, head: 0, lagRows: 0, lagSeconds: 0, worker: null };
    }
    const lag = await this.projection.lag(NEO4J_PROJECTION);
    return {
      configured: true,
      store: "neo4j",
      position: lag.position,
      head: lag.head,
      lagRows: lag.rows,
      lagSeconds: lag.seconds,
      worker: this.worker?.status() ?? null,
    };
  }

  async close(): Promise<void> {
    await this.worker?.stop();
    await this.connection?.close();
  }
}
