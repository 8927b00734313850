import { randomUUID } from "node:crypto";
import type { Registry } from "prom-client";
import type { Database } from "../db/database.js";
import type { DeploymentRecord, DeploymentRepository } from "../deployment/deployment.repository.js";
import type { TrafficShareRecord } from "../deployment/traffic-split.js";
import { InputInvalidError } from "../errors/common-errors.js";
import { encodeNodeId } from "../graphql/node-id.js";
import type { Logger } from "../lib/logger.js";
import type { ModelVersionRecord, ModelVersionRepository } from "../model/model-version.repository.js";
import type { ModelRepository } from "../model/model.repository.js";
import type { BatchOutputs } from "./micro-batcher.js";
import { ModelSessionCache } from "./model-session-cache.js";
import { type ServableSignature, parseServableSignature } from "./model-signature.js";
import { type PredictPayload, decodePredictInput } from "./predict-input.js";
import type { PredictionLogRepository, PredictionLogRow } from "./prediction-log.repository.js";
import type { ServingConfig } from "./serving-config.js";
import { ServingMetrics } from "./serving-metrics.js";
import type { ModelVersionServingStats, ServingStatsRepository } from "./serving-stats.repository.js";
import { ServingTelemetry } from "./serving-telemetry.js";
import { DeploymentHasNoTrafficError, ModelNotServableError, PredictDeploymentNotFoundError } from "./serving.errors.js";
import { pickShare } from "./traffic-router.js";
import { LinearExplainers, type PredictionExplanation } from "./linear-explainers.js";

export interface PredictCommand {
  namespace: string;
  deployment: string;
  payload: PredictPayload;
  /** Same key → same model version while the split stays; random routing when absent. */
  routingKey?: string | null | undefined;
  /** Prefix of field paths in errors: "" for REST bodies, "input." for GraphQL. */
  fieldPrefix: string;
  /** Adds exact feature attributions to every row (linear models only; others are refused). */
  explain?: boolean | null | undefined;
}

export interface RowPrediction {
  /** Id of the prediction-log row (when sampled) — what ground truth refers to. */
  predictionId: string;
  outputs: Record<string, unknown>;
  /** Present when the request asked to explain. */
  explanation?: PredictionExplanation;
}

export interface PredictResult {
  deployment: DeploymentRecord;
  /** namespace/name */
  qualifiedName: string;
  modelVersion: ModelVersionRecord;
  predictions: RowPrediction[];
  latencyMs: number;
}

/** What a deployment serves now, as read from its latest revision. */
interface DeploymentRoute {
  deployment: DeploymentRecord;
  qualifiedName: string;
  split: TrafficShareRecord[];
  versions: Map<string, RoutedVersion>;
  readAt: number;
}

interface RoutedVersion {
  record: ModelVersionRecord;
  /** Global id, quoted in errors. */
  shownAs: string;
  /** model:version, the metrics label. */
  label: string;
  signature: ServableSignature | ModelNotServableError;
}

export interface PredictionServiceDependencies {
  db: Database;
  deployments: DeploymentRepository;
  models: ModelRepository;
  modelVersions: ModelVersionRepository;
  predictionLog: PredictionLogRepository;
  servingStats: ServingStatsRepository;
}

const MAX_NAME_LENGTH = 255;
const MAX_ROUTING_KEY_LENGTH = 1_024;
const MAX_CACHED_ROUTES = 10_000;
/** Longest servingStats window (the stats buckets are kept; reading a month would be slow). */
export const MAX_STATS_WINDOW_SECONDS = 7 * 24 * 3_600;

function requiredName(value: string, field: string): string {
  if (value.length === 0) throw new InputInvalidError(field, "must not be empty.");
  if (value.length > MAX_NAME_LENGTH) throw new InputInvalidError(field, `must be at most ${MAX_NAME_LENGTH} characters.`);
  return value;
}

function plainNumber(value: number | bigint): number {
  return typeof value === "bigint" ? Number(value) : value;
}

/** Per-row outputs: classifiers as {label, probabilities: {class: p}}, other tensors by name (scalar or list per row). */
export function formatOutputs(outputs: BatchOutputs, rowCount: number, signature: ServableSignature): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = Array.from({ length: rowCount }, () => ({}));
  const classes = signature.classes;
  for (const [name, output] of Object.entries(outputs)) {
    const perRow = rowCount === 0 ? 0 : output.data.length / rowCount;
    for (let r = 0; r < rowCount; r++) {
      const row = rows[r]!;
      if (classes && name === "label" && perRow === 1) {
        const index = plainNumber(output.data[r]!);
        row.label = classes[index] ?? index;
      } else if (classes && name === "probabilities" && perRow === classes.length) {
        const probabilities: Record<string, number> = {};
        classes.forEach((label, c) => {
          probabilities[label] = plainNumber(output.data[r * perRow + c]!);
        });
        row.probabilities = probabilities;
      } else if (perRow === 1) {
        row[name] = plainNumber(output.data[r]!);
      } else {
        const values: number[] = new Array(perRow);
        for (let i = 0; i < perRow; i++) values[i] = plainNumber(output.data[r * perRow + i]!);
        row[name] = values;
      }
    }
  }
  return rows;
}

/**
 * The predict path: routes a request by its deployment's current traffic split, validates the rows
 * against the chosen model version's signature, runs them through that version's cached
 * onnxruntime session (micro-batched with concurrent requests) and records latency, errors and a
 * sample of inputs and outputs — all buffered and written off the request path.
 */
export class PredictionService {
  readonly metrics = new ServingMetrics();
  private readonly sessions: ModelSessionCache;
  private readonly telemetry: ServingTelemetry;
  private readonly explainers: LinearExplainers;
  private readonly routes = new Map<string, DeploymentRoute>();
  private readonly routeReads = new Map<string, Promise<DeploymentRoute | null>>();

  constructor(
    private readonly deps: PredictionServiceDependencies,
    private readonly config: ServingConfig,
    private readonly logger: Logger,
  ) {
    this.sessions = new ModelSessionCache({
      maxSessions: config.maxSessions,
      batchWindowMicros: config.batchWindowMicros,
      maxBatchRows: config.maxBatchRows,
      onBatch: (modelVersionId, _rows, requests) => {
        this.metrics.batches.inc({ model_version_id: encodeNodeId("ModelVersion", modelVersionId) });
        this.metrics.batchRequests.observe(requests);
      },
      onReleaseError: (error) => logger.warn({ err: error }, "onnxruntime session release failed"),
    });
    this.explainers = new LinearExplainers(deps.db, config.maxSessions);
    this.telemetry = new ServingTelemetry(deps.servingStats, deps.predictionLog, logger, {
      flushIntervalMs: config.flushIntervalMs,
      maxBufferedLogRows: config.maxBufferedLogRows,
      onDroppedLogRows: (count) => this.metrics.droppedLogRows.inc(count),
    });
  }

  /** Adds the serving metrics to a /metrics registry. */
  registerMetrics(registry: Registry): void {
    this.metrics.register(registry);
  }

  async predict(command: PredictCommand): Promise<PredictResult> {
    const started = performance.now();
    const requestedAt = new Date();
    const namespace = requiredName(command.namespace, `${command.fieldPrefix}namespace`);
    const name = requiredName(command.deployment, `${command.fieldPrefix}deployment`);
    if (command.routingKey && command.routingKey.length > MAX_ROUTING_KEY_LENGTH) {
      throw new InputInvalidError(`${command.fieldPrefix}routingKey`, `must be at most ${MAX_ROUTING_KEY_LENGTH} characters.`);
    }
    const route = await this.route(namespace, name);
    if (!route) throw new PredictDeploymentNotFoundError(`${namespace}/${name}`, `${command.fieldPrefix}deployment`);
    if (route.split.length === 0) throw new DeploymentHasNoTrafficError(route.qualifiedName);
    const share = pickShare(route.split, command.routingKey);
    const version = route.versions.get(share.modelVersionId);
    if (!version) {
      throw new ModelNotServableError(encodeNodeId("ModelVersion", share.modelVersionId), "it is no longer registered.");
    }
    const labels = { deployment: route.qualifiedName, model_version: version.label };
    try {
      if (version.signature instanceof ModelNotServableError) throw version.signature;
      const input = decodePredictInput(command.payload, version.signature, {
        prefix: command.fieldPrefix,
        maxRows: this.config.maxRows,
      });
      const explainer = command.explain
        ? await this.explainers.acquire(version.record, version.shownAs, version.signature, `${command.fieldPrefix}explain`)
        : undefined;
      const loaded = await this.sessions.acquire(version.record, version.shownAs);
      this.metrics.sessions.set(this.sessions.size);
      const outputs = await loaded.batcher.submit(input.values, input.rowCount);
      const rows = formatOutputs(outputs, input.rowCount, version.signature);
      const latencyMs = performance.now() - started;
      const explanations = explainer?.explain(input.values, input.rowCount);
      const predictions: RowPrediction[] = rows.map((outputs, i) => ({
        predictionId: randomUUID(),
        outputs,
        ...(explanations ? { explanation: explanations[i]! } : {}),
      }));
      this.record(labels, route.deployment.id, version.record.id, latencyMs, false);
      this.sample(route.deployment.id, version.record.id, requestedAt, latencyMs, predictions, input.rowInputs);
      return {
        deployment: route.deployment,
        qualifiedName: route.qualifiedName,
        modelVersion: version.record,
        predictions,
        latencyMs,
      };
    } catch (error) {
      this.record(labels, route.deployment.id, version.record.id, performance.now() - started, true);
      if (error instanceof InputInvalidError || error instanceof ModelNotServableError) throw error;
      this.logger.error({ err: error, deployment: route.qualifiedName, modelVersion: version.shownAs }, "model run failed");
      throw new ModelNotServableError(version.shownAs, "the model run failed.");
    }
  }

  /** Serving statistics per model version of a deployment over the last `windowSeconds`. */
  servingStats(deploymentId: string, windowSeconds: number, field: string): Promise<ModelVersionServingStats[]> {
    if (!Number.isInteger(windowSeconds) || windowSeconds < 1 || windowSeconds > MAX_STATS_WINDOW_SECONDS) {
      throw new InputInvalidError(field, `must be a whole number of seconds from 1 to ${MAX_STATS_WINDOW_SECONDS}.`);
    }
    const to = new Date();
    return this.deps.servingStats.windowByModelVersion(deploymentId, new Date(to.getTime() - windowSeconds * 1_000), to);
  }

  /** Writes buffered statistics and prediction-log rows now (tests; close). */
  flush(): Promise<void> {
    return this.telemetry.flush();
  }

  /** Flushes telemetry and releases every session (after its running batches). */
  async close(): Promise<void> {
    await this.sessions.close();
    await this.telemetry.close();
  }

  private record(
    labels: { deployment: string; model_version: string },
    deploymentId: string,
    modelVersionId: string,
    latencyMs: number,
    failed: boolean,
  ): void {
    this.metrics.requests.inc(labels);
    if (failed) this.metrics.errors.inc(labels);
    this.metrics.latency.observe(labels, latencyMs / 1_000);
    this.telemetry.observe(deploymentId, modelVersionId, latencyMs, failed);
  }

  private sample(
    deploymentId: string,
    modelVersionId: string,
    requestedAt: Date,
    latencyMs: number,
    predictions: RowPrediction[],
    rowInputs: (i: number) => Record<string, number>,
  ): void {
    const rate = this.config.predictionSampleRate;
    if (rate <= 0) return;
    const rows: PredictionLogRow[] = [];
    predictions.forEach((prediction, i) => {
      if (rate < 1 && Math.random() >= rate) return;
      rows.push({
        id: prediction.predictionId,
        deploymentId,
        modelVersionId,
        requestedAt,
        inputs: rowInputs(i),
        outputs: prediction.outputs,
        latencyMs,
        error: null,
      });
    });
    if (rows.length > 0) this.telemetry.log(rows);
  }

  /** The deployment's route, re-read when older than routeCacheMs; concurrent reads of one deployment share one query. */
  private async route(namespace: string, name: string): Promise<DeploymentRoute | null> {
    const key = `${namespace}\u0000${name}`;
    const cached = this.routes.get(key);
    if (cached && performance.now() - cached.readAt < this.config.routeCacheMs) return cached;
    let reading = this.routeReads.get(key);
    if (!reading) {
      reading = this.readRoute(namespace, name).finally(() => this.routeReads.delete(key));
      this.routeReads.set(key, reading);
    }
    const route = await reading;
    if (route) {
      if (this.routes.size >= MAX_CACHED_ROUTES) this.routes.clear();
      this.routes.set(key, route);
    } else {
      this.routes.delete(key);
    }
    return route;
  }

  private async readRoute(namespace: string, name: string): Promise<DeploymentRoute | null> {
    const readAt = performance.now();
    const deployment = await this.deps.deployments.findByQualifiedName(namespace, name);
    if (!deployment) return null;
    const revision = await this.deps.deployments.latestRevision(this.deps.db.prisma, deployment.id);
    const split = revision?.trafficSplit ?? [];
    const records = await this.deps.modelVersions.findByIds(split.map((share) => share.modelVersionId));
    const models = new Map(
      (await this.deps.models.findByIds([...new Set(records.map((record) => record.modelId))])).map((model) => [model.id, model]),
    );
    const previous = this.routes.get(`${namespace}\u0000${name}`);
    const versions = new Map<string, RoutedVersion>();
    for (const record of records) {
      // Versions are immutable: keep the parsed signature of the last read.
      const known = previous?.versions.get(record.id);
      if (known) {
        versions.set(record.id, known);
        continue;
      }
      const shownAs = encodeNodeId("ModelVersion", record.id);
      let signature: ServableSignature | ModelNotServableError;
      try {
        signature = parseServableSignature(record.signature, shownAs);
      } catch (error) {
        if (!(error instanceof ModelNotServableError)) throw error;
        signature = error;
      }
      versions.set(record.id, {
        record,
        shownAs,
        label: `${models.get(record.modelId)?.name ?? record.modelId}:${record.version}`,
        signature,
      });
    }
    return { deployment, qualifiedName: `${namespace}/${name}`, split, versions, readAt };
  }
}
