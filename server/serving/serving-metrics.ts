import { Counter, Gauge, Histogram, type Metric, type Registry } from "prom-client";

/**
 * Prometheus metrics of the predict path. Created unregistered so any process can build a
 * PredictionService; the API registers them on its /metrics registry.
 */
export class ServingMetrics {
  readonly requests = new Counter({
    name: "pedigree_predict_requests_total",
    help: "Predict requests answered or failed after routing, by deployment (namespace/name) and model version (model:version).",
    labelNames: ["deployment", "model_version"] as const,
    registers: [],
  });
  readonly errors = new Counter({
    name: "pedigree_predict_errors_total",
    help: "Predict requests that a model version did not answer (invalid input for its signature, unloadable model, run failure).",
    labelNames: ["deployment", "model_version"] as const,
    registers: [],
  });
  readonly latency = new Histogram({
    name: "pedigree_predict_latency_seconds",
    help: "Predict latency inside the server (route, validate, batch, run, format), by deployment and model version.",
    labelNames: ["deployment", "model_version"] as const,
    buckets: [0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [],
  });
  readonly batches = new Counter({
    name: "pedigree_predict_batches_total",
    help: "onnxruntime session.run calls of the predict path (one per micro-batch), by model version id.",
    labelNames: ["model_version_id"] as const,
    registers: [],
  });
  readonly batchRequests = new Histogram({
    name: "pedigree_predict_batch_requests",
    help: "Requests carried by one micro-batch.",
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
    registers: [],
  });
  readonly sessions = new Gauge({
    name: "pedigree_serving_sessions",
    help: "onnxruntime sessions loaded or loading.",
    registers: [],
  });
  readonly droppedLogRows = new Counter({
    name: "pedigree_prediction_log_dropped_rows_total",
    help: "Sampled prediction-log rows dropped because the buffer was full or a write failed.",
    registers: [],
  });

  register(registry: Registry): void {
    const metrics: Metric[] = [
      this.requests,
      this.errors,
      this.latency,
      this.batches,
      this.batchRequests,
      this.sessions,
      this.droppedLogRows,
    ];
    for (const metric of metrics) registry.registerMetric(metric);
  }
}
