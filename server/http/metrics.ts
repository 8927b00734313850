import type { NextFunction, Request, Response } from "express";
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

const KNOWN_ROUTES = new Set(["/graphql", "/healthz", "/readyz", "/metrics"]);

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

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: "pedigree_" });
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
