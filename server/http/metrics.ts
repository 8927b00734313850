import type { NextFunction, Request, Response } from "express";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { GraphProjectionStatus } from "../lineage/lineage-runtime.js";

const KNOWN_ROUTES = new Set(["/graphql", "/healthz", "/readyz", "/metrics", "/v1/deployments"]);

function routeLabel(req: Request): string {
  const path = req.baseUrl || req.path;
  return KNOWN_ROUTES.has(path) ? path : "unmatched";
}

/** Prometheus registry of one API process; served at /metrics. */
export class ApiMetrics {
  readonly registry = new Registry();
  private readonly httpDuration = new Histogram({
    name: "pedigree_http_request_duration_seconds",
    help: "HTTP request duration by route and status.",
    labelNames: ["route", "method", "status"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly graphqlErrors = new Counter({
    name: "pedigree_graphql_errors_total",
    help: "GraphQL errors returned to clients, by code.",
    labelNames: ["code"] as const,
    registers: [this.registry],
  });

  readonly lineageReads = new Counter({
    name: "pedigree_lineage_reads_total",
    help: "Lineage reads by the store that answered and why it fell back to Postgres (none when it did not).",
    labelNames: ["store", "fallback"] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: "pedigree_" });
  }

  /** Exposes the graph projection's lag and health, read from the database at each scrape. */
  watchGraphProjection(status: () => Promise<GraphProjectionStatus>): void {
    let pending: Promise<GraphProjectionStatus> | undefined;
    // One status read serves every gauge of a scrape.
    const current = () => {
      pending ??= status().finally(() => {
        setImmediate(() => {
          pending = undefined;
        });
      });
      return pending;
    };
    const gauge = (name: string, help: string, value: (s: GraphProjectionStatus) => number | undefined) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        async collect() {
          const s = await current();
          if (!s.configured) return;
          const v = value(s);
          if (v !== undefined) this.set(v);
        },
      });
    gauge("pedigree_graph_projection_lag_rows", "Graph outbox rows not yet applied to Neo4j.", (s) => s.lagRows);
    gauge(
      "pedigree_graph_projection_lag_seconds",
      "Age of the oldest graph outbox row not yet applied to Neo4j.",
      (s) => s.lagSeconds,
    );
    gauge("pedigree_graph_projection_position", "Last graph outbox position applied to Neo4j.", (s) => s.position);
    gauge("pedigree_graph_outbox_head", "Newest graph outbox position written.", (s) => s.head);
    gauge(
      "pedigree_graph_projection_consecutive_failures",
      "Failed projection attempts since the last success in this process (0 when healthy).",
      (s) => s.worker?.consecutiveFailures,
    );
    gauge(
      "pedigree_graph_projection_rows_projected",
      "Outbox rows this process has applied since it started.",
      (s) => s.worker?.rowsProjected,
    );
  }

  /** Express middleware timing every request. */
  timeRequests() {
    return (req: Request, res: Response, next: NextFunction) => {
      const stop = this.httpDuration.startTimer({ method: req.method });
      // Unmatched paths share one label: a label per raw path would let any client grow memory.
      res.on("finish", () => stop({ route: routeLabel(req), status: String(res.statusCode) }));
      next();
    };
  }
}
