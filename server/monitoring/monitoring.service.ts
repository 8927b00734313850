import type { ChangeRecorder } from "../audit/change-recorder.js";
import type { Database } from "../db/database.js";
import { runInTransaction } from "../db/transaction.js";
import { DeploymentNotFoundError } from "../deployment/deployment.errors.js";
import type { DeploymentRecord } from "../deployment/deployment.repository.js";
import { InputInvalidError } from "../errors/common-errors.js";
import { DRIFT_ALERTS_TOPIC, type DriftAlertEvent } from "../events/topics.js";
import type { RequestMeta } from "../graphql/context.js";
import { encodeNodeId } from "../graphql/node-id.js";
import { type PageRequest, paginate } from "../lib/paginate.js";
import type { VisibleNamespaceIds } from "../lib/visible-namespaces.js";
import type { LineageService } from "../lineage/lineage.service.js";
import type { QueueJobRow } from "../queue/queue-job.repository.js";
import type { QueueRuntime } from "../queue/queue-runtime.js";
import type { Repositories } from "../repositories.js";
import {
  DEFAULT_MONITOR_WINDOW_MS,
  MONITOR_DEPLOYMENT_ATTEMPTS,
  MONITOR_DEPLOYMENT_JOB,
  MONITOR_DEPLOYMENT_QUEUE,
  type MonitorDeploymentPayload,
  type MonitorDeploymentResult,
} from "../../workers/jobs/monitor-deployment.job.js";
import type { AlertDetails, AlertFilter, AlertRecord, AlertRepository } from "./alerts/alert.repository.js";
import {
  type AlertRuleEdit,
  type EffectiveAlertRule,
  checkAlertRuleEdit,
  defaultRuleNamed,
  effectiveAlertRules,
} from "./alerts/alert-rules.js";
import { type RuleFiring, evaluateRule } from "./alerts/rule-evaluation.js";
import type { DriftReportRecord, DriftReportRepository } from "./drift-report.repository.js";
import { GroundTruthRepository } from "./ground-truth/ground-truth.repository.js";
import { AlertNotFoundError, AlertStatusConflictError } from "./monitoring.errors.js";
import type { MonitorScheduler } from "./monitor-scheduler.js";
import { type WindowObservation, observeModelVersion } from "./window-observation.js";

/** Longest window runMonitoring accepts. */
export const MAX_MONITOR_WINDOW_MS = 31 * 24 * 3600 * 1000;

export interface MonitoringWindow {
  from: Date | null;
  to: Date | null;
}

/** Where the monitoring job publishes (after its transaction committed). */
export type PublishAfterCommit = (topic: string, payload: unknown) => Promise<void>;

/**
 * Monitoring: alert rules (built-in defaults overlaid by stored edits), drift reports written by the
 * monitoring job, alerts with their lineage, and on-demand and scheduled monitoring runs.
 */
export class MonitoringService {
  readonly alerts: AlertRepository;
  readonly reports: DriftReportRepository;
  private readonly groundTruth: GroundTruthRepository;

  constructor(
    private readonly db: Database,
    private readonly repos: Pick<Repositories, "deployments" | "predictionLog" | "servingStats" | "alerts" | "driftReports">,
    private readonly lineage: LineageService,
    private readonly queues: QueueRuntime,
    private readonly recorder: ChangeRecorder,
    private readonly scheduler: MonitorScheduler | null = null,
  ) {
    this.alerts = repos.alerts;
    this.reports = repos.driftReports;
    this.groundTruth = new GroundTruthRepository(db);
  }

  // ── Rules ─────────────────────────────────────────────────────────────────────────────────

  /** The rules that apply to a deployment now: every default (edited or not), then added rules. */
  async alertRules(deploymentId: string): Promise<EffectiveAlertRule[]> {
    return effectiveAlertRules(await this.alerts.rulesOf(undefined, deploymentId));
  }

  /**
   * Edits a rule of a deployment (threshold, enabled), or adds a rule under a new name. The first
   * edit of a built-in rule stores it; audited with the rule before and after.
   */
  async updateAlertRule(meta: RequestMeta, deploymentId: string, shownAs: string, edit: AlertRuleEdit) {
    const name = checkAlertRuleEdit(edit);
    return runInTransaction(this.db, async (tx) => {
      const deployment = (await this.repos.deployments.lock(tx, deploymentId))
        ? await this.repos.deployments.findById(tx, deploymentId)
        : null;
      if (!deployment) throw new DeploymentNotFoundError(shownAs, "input.deploymentId");
      const stored = await this.alerts.findRule(tx, deploymentId, name);
      if (stored && stored.kind !== edit.kind) {
        throw new InputInvalidError("input.kind", `must be ${stored.kind}, the kind of rule "${name}"; got ${edit.kind}.`);
      }
      const before = effectiveAlertRules(stored ? [stored] : []).find((rule) => rule.name === name) ?? null;
      if (!before && edit.threshold === null) {
        throw new InputInvalidError("input.threshold", `is required to add the rule "${name}".`);
      }
      const row = await this.alerts.upsertRule(tx, {
        deploymentId,
        name,
        kind: edit.kind,
        threshold: edit.threshold ?? before!.threshold,
        enabled: edit.enabled ?? before?.enabled ?? true,
      });
      const after = effectiveAlertRules([row]).find((rule) => rule.name === name)!;
      await this.recorder.record(tx, meta, {
        action: before ? "alert_rule.updated" : "alert_rule.added",
        target: { kind: "Deployment", id: deploymentId, namespaceId: deployment.namespaceId },
        before: before ? ruleJson(before) : null,
        after: ruleJson(after),
      });
      return { deployment, rule: after };
    });
  }

  // ── Alerts ────────────────────────────────────────────────────────────────────────────────

  acknowledgeAlert(meta: RequestMeta, alertId: string, shownAs: string): Promise<AlertRecord> {
    return this.changeStatus(meta, alertId, shownAs, "ACKNOWLEDGED");
  }

  resolveAlert(meta: RequestMeta, alertId: string, shownAs: string): Promise<AlertRecord> {
    return this.changeStatus(meta, alertId, shownAs, "RESOLVED");
  }

  /** A repeated acknowledge or resolve returns the alert unchanged (and writes nothing). */
  private changeStatus(meta: RequestMeta, alertId: string, shownAs: string, status: "ACKNOWLEDGED" | "RESOLVED") {
    return runInTransaction(this.db, async (tx) => {
      const before = (await this.alerts.lock(tx, alertId)) ? await this.alerts.findById(tx, alertId) : null;
      if (!before) throw new AlertNotFoundError(shownAs, "id");
      if (before.status === status) return before;
      if (before.status === "RESOLVED") throw new AlertStatusConflictError(shownAs, before.status, status.toLowerCase());
      const now = new Date();
      const after = await this.alerts.setStatus(
        tx,
        alertId,
        status === "ACKNOWLEDGED" ? { status, acknowledgedAt: now } : { status, resolvedAt: now },
      );
      // Inside the transaction: PGlite has one connection, so a read outside it would wait for it.
      const deployment = await this.repos.deployments.findById(tx, before.deploymentId);
      await this.recorder.record(tx, meta, {
        action: status === "ACKNOWLEDGED" ? "alert.acknowledged" : "alert.resolved",
        target: { kind: "Deployment", id: before.deploymentId, namespaceId: deployment?.namespaceId },
        at: now,
        before: { alertId, status: before.status },
        after: { alertId, status: after.status },
      });
      return after;
    });
  }

  async listAlerts(filter: AlertFilter, page: PageRequest) {
    const result = await paginate<AlertRecord>(page, "raisedAt", "desc", (query) => this.alerts.list(filter, query));
    return { page: result, count: () => this.alerts.count(filter) };
  }

  /** `visibleNamespaceIds`: the caller's readable namespaces (undefined: all); other deployments list nothing. */
  async driftReports(deploymentId: string, page: PageRequest, visibleNamespaceIds?: VisibleNamespaceIds) {
    const result = await paginate<DriftReportRecord>(page, "createdAt", "desc", (query) =>
      this.reports.listByDeployment(deploymentId, query, visibleNamespaceIds),
    );
    return { page: result, count: () => this.reports.countByDeployment(deploymentId, visibleNamespaceIds) };
  }

  // ── Runs ──────────────────────────────────────────────────────────────────────────────────

  /** Queues a monitoring run of a deployment over a window (default: the hour before now). */
  async runMonitoring(meta: RequestMeta, deploymentId: string, shownAs: string, window: MonitoringWindow): Promise<QueueJobRow> {
    const to = window.to ?? new Date();
    const from = window.from ?? new Date(to.getTime() - DEFAULT_MONITOR_WINDOW_MS);
    if (from.getTime() >= to.getTime()) {
      throw new InputInvalidError("input.from", `must be before input.to (${to.toISOString()}); got ${from.toISOString()}.`);
    }
    if (to.getTime() - from.getTime() > MAX_MONITOR_WINDOW_MS) {
      throw new InputInvalidError("input.from", "must be at most 31 days before input.to.");
    }
    const [deployment] = await this.repos.deployments.findByIds([deploymentId]);
    if (!deployment) throw new DeploymentNotFoundError(shownAs, "input.deploymentId");
    const payload: MonitorDeploymentPayload = {
      deploymentId,
      windowStart: from.toISOString(),
      windowEnd: to.toISOString(),
      windowMs: to.getTime() - from.getTime(),
      alignMs: null,
      requestedBy: meta.actor.name,
    };
    const job = await this.queues.dispatch(MONITOR_DEPLOYMENT_QUEUE, MONITOR_DEPLOYMENT_JOB, payload, {
      attempts: MONITOR_DEPLOYMENT_ATTEMPTS,
    });
    // A deployment that is monitored on demand is monitored on schedule too (idempotent upsert).
    await this.scheduler?.ensure(deploymentId).catch(() => undefined);
    return job;
  }

  /** Upserts the job scheduler of every deployment (worker start-up; idempotent). */
  async scheduleAll(): Promise<number> {
    if (!this.scheduler) return 0;
    const ids = await this.db.prisma.deployment.findMany({ select: { id: true } });
    for (const { id } of ids) await this.scheduler.ensure(id);
    return ids.length;
  }

  /**
   * The monitoring job's work: per model version served in the window, data and prediction drift
   * against its baseline, serving figures and ground-truth performance → one drift report each;
   * then every enabled rule is evaluated and a firing rule without an unresolved alert raises one,
   * with the lineage behind the model versions and the deployments they serve. Alerts are published
   * after the commit. A retried job finds its reports again and raises nothing twice.
   */
  async monitor(
    meta: RequestMeta,
    jobId: string,
    payload: MonitorDeploymentPayload,
    publish: PublishAfterCommit,
    now: Date = new Date(),
  ): Promise<MonitorDeploymentResult> {
    const [deployment] = await this.repos.deployments.findByIds([payload.deploymentId]);
    if (!deployment) throw new DeploymentNotFoundError(payload.deploymentId, "deploymentId");
    const { windowStart, windowEnd } = windowOf(payload, now);
    const rules = await this.alertRules(deployment.id);
    const thresholds = {
      dataDriftPsi: rules.find((rule) => rule.name === "data-drift")!.threshold,
      predictionDriftPsi: rules.find((rule) => rule.name === "prediction-drift")!.threshold,
    };
    const modelVersionIds = await this.servedIn(deployment.id, windowStart, windowEnd);
    const observations: WindowObservation[] = [];
    for (const modelVersionId of modelVersionIds) {
      observations.push(
        await observeModelVersion(
          {
            db: this.db,
            predictionLog: this.repos.predictionLog,
            servingStats: this.repos.servingStats,
            groundTruth: this.groundTruth,
          },
          { deploymentId: deployment.id, modelVersionId, from: windowStart, to: windowEnd, thresholds },
        ),
      );
    }
    const written = await runInTransaction(this.db, async (tx) => {
      const existing = new Map((await this.reports.findByJob(tx, jobId)).map((report) => [report.modelVersionId, report]));
      const reports: DriftReportRecord[] = [];
      for (const observation of observations) {
        reports.push(
          existing.get(observation.modelVersionId) ??
            (await this.reports.create(tx, {
              ...observation.report,
              deploymentId: deployment.id,
              windowStart,
              windowEnd,
              jobId,
            })),
        );
      }
      return reports;
    });
    const evaluated = observations.map((observation, index) => ({
      ...observation.evaluation,
      driftReportId: written[index]!.id,
    }));
    const firings = rules.map((rule) => evaluateRule(rule, evaluated)).filter((firing) => firing !== null);
    const raised: AlertRecord[] = [];
    const alreadyOpen: string[] = [];
    for (const firing of firings) {
      const details = await this.alertDetails(firing, windowStart, windowEnd);
      const outcome = await this.raise(meta, deployment, firing, details);
      if (outcome.raised) raised.push(outcome.alert);
      else alreadyOpen.push(outcome.alert.id);
    }
    for (const alert of raised) {
      const event: DriftAlertEvent = {
        alertId: alert.id,
        deploymentId: deployment.id,
        namespace: await this.namespaceName(deployment),
        kind: alert.kind,
        severity: alert.severity.toUpperCase(),
        message: alert.message,
        raisedAt: alert.raisedAt.toISOString(),
        driftingFeatures: alert.driftingFeatures,
      };
      await publish(DRIFT_ALERTS_TOPIC, event);
    }
    return {
      deploymentId: deployment.id,
      windowStart: windowStart.toISOString(),
      windowEnd: windowEnd.toISOString(),
      reports: written.map((report) => ({
        driftReportId: report.id,
        modelVersionId: report.modelVersionId,
        sampleCount: report.sampleCount,
        driftedFeatures: report.driftedFeatures,
      })),
      alertsRaised: raised.map((alert) => alert.id),
      alreadyOpen,
    };
  }

  /**
   * Model versions in any revision of the deployment's traffic split during the window, and any
   * with predictions logged in it (a split may have changed since).
   */
  private async servedIn(deploymentId: string, from: Date, to: Date): Promise<string[]> {
    const revisions = await this.repos.deployments.findRevisionsByDeploymentIds([deploymentId]);
    const ids = new Set<string>(await this.reports.loggedModelVersions(deploymentId, from, to));
    // Newest first: a revision serves from its createdAt until the next one's.
    let until = Number.POSITIVE_INFINITY;
    for (const revision of revisions) {
      const start = revision.createdAt.getTime();
      if (start < to.getTime() && until > from.getTime()) {
        for (const share of revision.trafficSplit) if (share.percent > 0) ids.add(share.modelVersionId);
      }
      until = start;
    }
    return [...ids].sort();
  }

  /** Lineage behind the firing model versions and the deployments they serve now. */
  private async alertDetails(firing: RuleFiring, from: Date, to: Date): Promise<AlertDetails> {
    const datasetVersions = new Map<string, string | null>();
    const features = new Set<string>();
    const runs = new Set<string>();
    const commits = new Set<string>();
    const deployments = new Set<string>();
    for (const modelVersionId of firing.modelVersionIds) {
      const root = { type: "MODEL_VERSION" as const, id: modelVersionId, shownAs: encodeNodeId("ModelVersion", modelVersionId) };
      const provenance = await this.lineage.provenance({ modelVersion: root, maxDepth: 10, limit: 2_000 });
      for (const entry of provenance.result.modelVersions) {
        for (const version of entry.datasetVersions) {
          if (!datasetVersions.has(version.id) || datasetVersions.get(version.id) === null) {
            datasetVersions.set(version.id, version.role);
          }
        }
        for (const feature of entry.features) features.add(feature.id);
        for (const run of entry.runs) runs.add(run.id);
        for (const commit of entry.commits) commits.add(commit.id);
      }
      const impact = await this.lineage.impact({ root, maxDepth: 1, limit: 100 });
      for (const deployment of impact.result.deployments) if (deployment.servingAt) deployments.add(deployment.deploymentId);
    }
    return {
      observed: firing.observed,
      threshold: firing.threshold,
      ruleName: firing.rule.name,
      modelVersionIds: firing.modelVersionIds,
      lineage: {
        datasetVersions: [...datasetVersions].map(([id, role]) => ({ id, role })).sort((a, b) => (a.id < b.id ? -1 : 1)),
        featureIds: [...features].sort(),
        runIds: [...runs].sort(),
        commitIds: [...commits].sort(),
      },
      affectedDeploymentIds: [...deployments].sort(),
      windowStart: from.toISOString(),
      windowEnd: to.toISOString(),
    };
  }

  /** Raises the firing's alert unless its rule has one unresolved (the partial unique index backs this). */
  private raise(meta: RequestMeta, deployment: DeploymentRecord, firing: RuleFiring, details: AlertDetails) {
    return runInTransaction(this.db, async (tx) => {
      // A built-in rule is stored the first time it raises, with the values it had.
      const rule =
        (await this.alerts.findRule(tx, deployment.id, firing.rule.name)) ??
        (await this.alerts.upsertRule(tx, {
          deploymentId: deployment.id,
          name: firing.rule.name,
          kind: firing.rule.kind,
          threshold: firing.rule.threshold,
          enabled: firing.rule.enabled,
        }));
      const open = await this.alerts.findUnresolved(tx, rule.id);
      if (open) return { raised: false as const, alert: open };
      const alert = await this.alerts.create(tx, {
        ruleId: rule.id,
        deploymentId: deployment.id,
        driftReportId: firing.driftReportId,
        severity: firing.severity,
        message: firing.message,
        driftingFeatures: firing.driftingFeatures,
        details,
        raisedAt: new Date(),
      });
      await this.recorder.record(tx, meta, {
        action: "alert.raised",
        target: { kind: "Deployment", id: deployment.id, namespaceId: deployment.namespaceId },
        at: alert.raisedAt,
        after: {
          alertId: alert.id,
          rule: firing.rule.name,
          kind: alert.kind,
          severity: alert.severity,
          driftingFeatures: alert.driftingFeatures,
        },
      });
      return { raised: true as const, alert };
    });
  }

  private async namespaceName(deployment: DeploymentRecord): Promise<string> {
    const namespace = await this.db.prisma.namespace.findUnique({
      where: { id: deployment.namespaceId },
      select: { name: true },
    });
    return namespace?.name ?? "";
  }
}

function ruleJson(rule: EffectiveAlertRule) {
  return {
    name: rule.name,
    kind: rule.kind,
    threshold: rule.threshold,
    enabled: rule.enabled,
    builtIn: !!defaultRuleNamed(rule.name),
  };
}

/** The payload's window, or the `windowMs` before `now` rounded down to `alignMs` (scheduled runs). */
export function windowOf(payload: MonitorDeploymentPayload, now: Date): { windowStart: Date; windowEnd: Date } {
  if (payload.windowStart && payload.windowEnd) {
    return { windowStart: new Date(payload.windowStart), windowEnd: new Date(payload.windowEnd) };
  }
  const align = payload.alignMs ?? 1;
  const end = Math.floor(now.getTime() / align) * align;
  return { windowStart: new Date(end - payload.windowMs), windowEnd: new Date(end) };
}
