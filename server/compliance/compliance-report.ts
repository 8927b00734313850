import { createHash } from "node:crypto";
import canonicalize from "canonicalize";
import type { AuditChainBreak } from "../audit/audit-chain-verifier.js";
import type { ChainedAuditEvent } from "../audit/audit-event.js";
import type { AuditEventService } from "../audit/audit-event.service.js";
import type { DeploymentRecord, DeploymentRevisionRecord } from "../deployment/deployment.repository.js";
import type { RolloutRecord } from "../deployment/rollout.repository.js";
import { EntityNotFoundError } from "../errors/common-errors.js";
import { type NodeKind, encodeNodeId } from "../graphql/node-id.js";
import type { PageQuery } from "../lib/paginate.js";
import type { LineageService } from "../lineage/lineage.service.js";
import { FEATURE_IMPORTANCE_METRIC_PREFIX, featureImportanceOf } from "../model/feature-importance.js";
import type { ModelVersionRecord } from "../model/model-version.repository.js";
import type { ModelRecord } from "../model/model.repository.js";
import type { AlertRecord } from "../monitoring/alerts/alert.repository.js";
import type { DriftReportRecord } from "../monitoring/drift-report.repository.js";
import type { Repositories } from "../repositories.js";
import type { RunRecord } from "../run/run-record.js";
import type { AuditTarget, ComplianceAuditRepository } from "./compliance-audit.repository.js";
import {
  MAX_CURVE_POINTS,
  type MetricCurveSummary,
  type MetricSplit,
  metricSplitOf,
  summarizeCurves,
} from "./compliance-metrics.js";

// ── The report document (JSON) ──────────────────────────────────────────────────────────────
// Every id is the row key (uuid) next to its GraphQL global id (`nodeId`); every time is ISO-8601
// UTC; lists have a stated, stable order, so the same history always gives the same JSON.

export const COMPLIANCE_REPORT_SCHEMA_VERSION = 1;

/** How `digest` is computed; stated in the report so a reader needs nothing else to check it. */
export const COMPLIANCE_REPORT_DIGEST_METHOD =
  "sha256 (lowercase hex) of the RFC 8785 (JCS) canonical JSON of the report without its `digest` field";

/** What a report is about: raw row keys. */
export type ComplianceReportTarget = { modelVersionId: string } | { deploymentId: string };

export interface ReportModel {
  id: string;
  nodeId: string;
  namespace: string;
  name: string;
  description: string | null;
  createdAt: string;
  /** Current aliases of the model, by alias name. */
  aliases: Array<{ alias: string; modelVersionId: string; version: number | null; updatedAt: string }>;
}

/** A model version's traffic share on a deployment over [from, to); `to` null while it serves. */
export interface ReportServingPeriod {
  deploymentId: string;
  deploymentName: string;
  environment: string;
  modelVersionId: string;
  percent: number;
  from: string;
  to: string | null;
  /** Revisions whose split gave it this share (consecutive ones merge). */
  revisions: number[];
}

export interface ReportModelVersion {
  id: string;
  nodeId: string;
  modelId: string;
  model: string;
  namespace: string;
  version: number;
  /** "<model> v<version>", as the PDF names it. */
  label: string;
  status: string;
  statusReason: string | null;
  description: string | null;
  artifactUri: string;
  artifactSha256: string;
  signature: Record<string, unknown>;
  aliases: string[];
  sourceRunId: string | null;
  createdAt: string;
  /** Every period it served traffic (percent > 0) on a deployment of this report, oldest first. */
  servedOn: ReportServingPeriod[];
}

export interface ReportDeployment {
  id: string;
  nodeId: string;
  namespace: string;
  name: string;
  environment: string;
  description: string | null;
  createdAt: string;
}

export interface ReportSubject {
  /** The deployment asked about; null for a model version report. */
  deployment: ReportDeployment | null;
  models: ReportModel[];
  /** The version asked about, or every version that ever was in the deployment's traffic split (by model, version). */
  modelVersions: ReportModelVersion[];
}

export interface ReportRun {
  id: string;
  nodeId: string;
  /** Hops upstream of the model version (1 for the run that produced it). */
  depth: number;
  job: string;
  jobType: string | null;
  externalId: string | null;
  status: string;
  parentRunId: string | null;
  commitId: string | null;
  hyperparameters: Record<string, unknown>;
  startedAt: string | null;
  endedAt: string | null;
}

export interface ReportDatasetVersion {
  id: string;
  nodeId: string;
  namespace: string;
  dataset: string;
  version: number;
  digest: string;
  uri: string;
  format: string;
  rowCount: number | null;
  snapshotRef: string | null;
  /** TRAIN, VALIDATION, TEST or OTHER as the nearest run read it; null when it only fed features. */
  role: string | null;
  readByRunId: string | null;
  depth: number;
}

export interface ReportFeature {
  id: string;
  nodeId: string;
  featureSet: string;
  name: string;
  dtype: string;
  transformationRef: string | null;
  depth: number;
}

export interface ReportCommit {
  id: string;
  nodeId: string;
  repository: string;
  sha: string;
  branch: string | null;
  author: string | null;
  message: string | null;
  committedAt: string | null;
  depth: number;
}

export interface ReportProvenance {
  modelVersionId: string;
  label: string;
  /** The run that produced the artifact (the version's source run, else the nearest run upstream). */
  producingRunId: string | null;
  runs: ReportRun[];
  datasetVersions: ReportDatasetVersion[];
  features: ReportFeature[];
  commits: ReportCommit[];
  /** True when the lineage depth or node limit left upstream nodes out. */
  lineageTruncated: boolean;
}

export interface ReportFinalMetric {
  key: string;
  split: MetricSplit;
  value: number;
  step: number | null;
  timestamp: string | null;
}

export interface ReportRunMetrics {
  runId: string;
  depth: number;
  /** Latest value of every key the run logged (the point with the highest step). */
  final: ReportFinalMetric[];
  curves: MetricCurveSummary[];
}

export interface ReportMetrics {
  modelVersionId: string;
  label: string;
  /** Metrics recorded on the model version (the training worker records its validation metrics here). */
  modelVersion: ReportFinalMetric[];
  /** Permutation feature importance recorded at training time, most important first. */
  featureImportance: Array<{ feature: string; importance: number }>;
  /** Runs upstream that logged metrics, nearest first. */
  runs: ReportRunMetrics[];
}

export type ReportApprovalKind =
  | "ALIAS_SET"
  | "ALIAS_REMOVED"
  | "TRAFFIC_ASSIGNED"
  | "ROLLOUT_STARTED"
  | "ROLLOUT_PROMOTED"
  | "ROLLOUT_ROLLED_BACK"
  | "ROLLOUT_ABORTED";

export interface ReportApproval {
  kind: ReportApprovalKind;
  modelVersionId: string;
  deploymentId: string | null;
  actor: string;
  tokenId: string | null;
  role: string | null;
  occurredAt: string;
  auditSequence: number | null;
  auditEventId: number;
  detail: string;
}

export type ReportRevisionKind =
  | "INITIAL"
  | "TRAFFIC_CHANGE"
  | "ROLLOUT_START"
  | "ROLLOUT_PROMOTION"
  | "ROLLOUT_ROLLBACK"
  | "ROLLOUT_ABORT";

export interface ReportRevision {
  id: string;
  nodeId: string;
  revision: number;
  kind: ReportRevisionKind;
  actor: string;
  reason: string | null;
  effectiveFrom: string;
  /** When the next revision replaced it; null for the current one. */
  effectiveUntil: string | null;
  trafficSplit: Array<{ modelVersionId: string; label: string; percent: number }>;
}

export interface ReportRollout {
  id: string;
  state: string;
  canaryModelVersionId: string;
  canaryLabel: string;
  baselineModelVersionId: string | null;
  canaryPercent: number;
  windowSeconds: number;
  maxErrorRate: number;
  maxP99Ms: number;
  minRequests: number;
  startRevision: number;
  endRevision: number | null;
  startedBy: string;
  startedAt: string;
  /** Who ended it (the actor of its end revision: a person, or the health-check job). */
  endedBy: string | null;
  endedAt: string | null;
  reason: string | null;
  lastHealth: { requests: number; errors: number; errorRate: number; p50Ms: number | null; p99Ms: number | null } | null;
}

export interface ReportDeploymentHistory {
  deployment: ReportDeployment;
  /** Oldest first. */
  revisions: ReportRevision[];
  /** Oldest first. */
  rollouts: ReportRollout[];
  /** Every model version's share over time on this deployment (percent > 0), by start then model version. */
  trafficTimeline: ReportServingPeriod[];
}

export interface ReportAlert {
  id: string;
  nodeId: string;
  deploymentId: string;
  kind: string;
  severity: string;
  status: string;
  ruleName: string;
  message: string;
  observed: number;
  threshold: number;
  driftingFeatures: string[];
  modelVersionIds: string[];
  driftReportId: string | null;
  raisedAt: string;
  raisedBy: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
}

export interface ReportDriftReport {
  id: string;
  nodeId: string;
  deploymentId: string;
  modelVersionId: string;
  windowStart: string;
  windowEnd: string;
  sampleCount: number;
  driftedFeatures: string[];
  predictionDrifted: boolean;
  skipped: string | null;
  serving: { requests: number; errors: number; errorRate: number; p50Ms: number | null; p99Ms: number | null } | null;
  createdAt: string;
}

export interface ReportMonitoring {
  /** Alerts raised on the deployments of this report (for a model version: those naming it), oldest first. */
  alerts: ReportAlert[];
  driftReportCount: number;
  driftReportsWithDrift: number;
  /** The newest `MAX_DRIFT_REPORTS` drift reports, oldest first. */
  driftReports: ReportDriftReport[];
  driftReportsTruncated: boolean;
}

export interface ReportAuditEvent {
  sequence: number | null;
  id: number;
  occurredAt: string;
  actor: string;
  tokenId: string | null;
  role: string | null;
  action: string;
  targetType: string;
  targetId: string;
  targetNodeId: string;
  namespaceId: string | null;
  requestId: string | null;
  clientAddress: string | null;
  before: unknown;
  after: unknown;
  prevHash: string | null;
  hash: string | null;
}

export interface ReportChainVerification {
  /** The range verified: [from, to) of occurrence times spanning every event of this report. */
  from: string;
  to: string;
  ok: boolean;
  eventsChecked: number;
  firstEventId: number | null;
  lastEventId: number | null;
  headHash: string | null;
  brokenLink: AuditChainBreak | null;
}

export interface ReportAudit {
  /** Every node of this report whose audit events are listed, by kind then id. */
  nodes: Array<{ kind: NodeKind; id: string; nodeId: string }>;
  /** Their events in chain order (sequence). */
  events: ReportAuditEvent[];
  /** verifyAuditChain over the range the events span; null when there are none. */
  chainVerification: ReportChainVerification | null;
}

export interface ComplianceReport {
  schemaVersion: typeof COMPLIANCE_REPORT_SCHEMA_VERSION;
  generatedAt: string;
  target: { kind: "MODEL_VERSION" | "DEPLOYMENT"; id: string; nodeId: string };
  subject: ReportSubject;
  provenance: ReportProvenance[];
  metrics: ReportMetrics[];
  /** Pedigree has no approval workflow: what stands for approval is derived from the audit trail. */
  approvalsSource: string;
  approvals: ReportApproval[];
  deployments: ReportDeploymentHistory[];
  monitoring: ReportMonitoring;
  audit: ReportAudit;
  digestMethod: string;
  /** See `digestMethod`. */
  digest: string;
}

export const APPROVALS_SOURCE =
  "Derived from the audit trail: Pedigree records no separate approval. Each entry is an audit event that " +
  "pointed an alias at the model version (model_alias.set/removed), gave it traffic in a deployment revision " +
  "(deployment_revision.created), or started or ended a canary rollout of it (rollout.*), with the actor, " +
  "token, role and time that event recorded.";

/** Drift reports listed per report (the counts cover all of them). */
export const MAX_DRIFT_REPORTS = 200;
/** Upstream lineage read per model version. */
const PROVENANCE_DEPTH = 10;
const PROVENANCE_LIMIT = 1_000;
/** Rows read at once from lists that have no natural bound (alerts, drift reports). */
const LIST_PAGE = 10_000;

/** sha256 over the canonical JSON of the report without `digest`. */
export function complianceReportDigest(report: Omit<ComplianceReport, "digest"> | ComplianceReport): string {
  const { digest: _ignored, ...content } = report as ComplianceReport;
  const canonical = canonicalize(content);
  if (canonical === undefined) throw new Error("compliance report is not serializable as JSON");
  return createHash("sha256").update(canonical, "utf8").digest("hex");
}

// ── Building it ─────────────────────────────────────────────────────────────────────────────

const iso = (date: Date) => date.toISOString();
const isoOrNull = (date: Date | null) => (date ? date.toISOString() : null);
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byId = <Row extends { id: string }>(rows: readonly Row[]) => new Map(rows.map((row) => [row.id, row]));
const unique = (ids: Iterable<string>) => [...new Set(ids)].sort(compare);
const everything = (orderBy: PageQuery["orderBy"], take = LIST_PAGE): PageQuery => ({ afterWhere: undefined, orderBy, take });

function record(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}
const stringField = (value: unknown, key: string) => {
  const field = record(value)?.[key];
  return typeof field === "string" ? field : null;
};

/**
 * Gathers the whole story of a model version or a deployment from the existing repositories and
 * services (provenance from LineageService, chain verification from AuditEventService) into one
 * self-checking JSON document. Reads only; what it reads is committed data.
 */
export class ComplianceReportService {
  constructor(
    private readonly repos: Repositories,
    private readonly lineage: LineageService,
    private readonly auditEvents: AuditEventService,
    private readonly audit: ComplianceAuditRepository,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async build(target: ComplianceReportTarget): Promise<ComplianceReport> {
    const generatedAt = this.clock();
    const scope = await this.scope(target);
    const { modelVersions, deployments } = scope;

    const models = await this.repos.models.findByIds(unique(modelVersions.map((version) => version.modelId)));
    const modelsById = byId(models);
    const namespaces = byId(
      await this.repos.namespaces.findByIds(unique([...models, ...deployments].map((row) => row.namespaceId))),
    );
    const namespaceOf = (id: string) => namespaces.get(id)?.name ?? id;
    const aliases = await this.repos.models.findAliasesByModelIds(models.map((model) => model.id));

    // Labels of every version a revision names (a deployment's history may name versions of other models).
    const revisions = await this.repos.deployments.findRevisionsByDeploymentIds(deployments.map((row) => row.id));
    const rollouts = await this.repos.rollouts.findByDeploymentIds(deployments.map((row) => row.id));
    const namedVersionIds = unique([
      ...revisions.flatMap((revision) => revision.trafficSplit.map((share) => share.modelVersionId)),
      ...rollouts.map((rollout) => rollout.canaryModelVersionId),
      ...aliases.map((alias) => alias.modelVersionId),
    ]);
    const namedVersions = byId([...modelVersions, ...(await this.repos.modelVersions.findByIds(namedVersionIds))]);
    const namedModels = byId([
      ...models,
      ...(await this.repos.models.findByIds(unique([...namedVersions.values()].map((version) => version.modelId)))),
    ]);
    const labelOf = (modelVersionId: string) => {
      const version = namedVersions.get(modelVersionId);
      const model = version ? namedModels.get(version.modelId) : undefined;
      return version && model ? `${model.name} v${version.version}` : modelVersionId;
    };

    const histories = deployments.map((deployment) =>
      deploymentHistory(
        toReportDeployment(deployment, namespaceOf(deployment.namespaceId)),
        revisions.filter((revision) => revision.deploymentId === deployment.id),
        rollouts.filter((rollout) => rollout.deploymentId === deployment.id),
        labelOf,
      ),
    );
    const subjectIds = new Set(modelVersions.map((version) => version.id));
    const servedOn = (modelVersionId: string) =>
      histories
        .flatMap((history) => history.trafficTimeline)
        .filter((period) => period.modelVersionId === modelVersionId)
        .sort((a, b) => compare(a.from, b.from) || compare(a.deploymentId, b.deploymentId));

    const subject: ReportSubject = {
      deployment: "deploymentId" in target ? histories[0]!.deployment : null,
      models: models
        .map((model) => toReportModel(model, namespaceOf(model.namespaceId), aliases, namedVersions))
        .sort((a, b) => compare(a.namespace, b.namespace) || compare(a.name, b.name)),
      modelVersions: modelVersions.map((version) => {
        const model = modelsById.get(version.modelId)!;
        return {
          id: version.id,
          nodeId: encodeNodeId("ModelVersion", version.id),
          modelId: model.id,
          model: model.name,
          namespace: namespaceOf(model.namespaceId),
          version: version.version,
          label: labelOf(version.id),
          status: version.status,
          statusReason: version.statusReason,
          description: version.description,
          artifactUri: version.artifactUri,
          artifactSha256: version.artifactSha256,
          signature: version.signature,
          aliases: aliases
            .filter((alias) => alias.modelVersionId === version.id)
            .map((alias) => alias.alias)
            .sort(compare),
          sourceRunId: version.sourceRunId,
          createdAt: iso(version.createdAt),
          servedOn: servedOn(version.id),
        };
      }),
    };

    const provenance = await this.provenance(modelVersions, labelOf);
    const metrics = await this.metrics(modelVersions, provenance, labelOf);
    const monitoring = await this.monitoring(target, deployments, subjectIds);

    // Every node above whose audit events belong in the report.
    const targets: AuditTarget[] = [
      ...models.map((model) => ({ kind: "Model" as const, id: model.id })),
      ...modelVersions.map((version) => ({ kind: "ModelVersion" as const, id: version.id })),
      ...deployments.map((deployment) => ({ kind: "Deployment" as const, id: deployment.id })),
      ...revisions.map((revision) => ({ kind: "DeploymentRevision" as const, id: revision.id })),
      ...provenance.flatMap((entry) => [
        ...entry.runs.map((run) => ({ kind: "Run" as const, id: run.id })),
        ...entry.datasetVersions.map((version) => ({ kind: "DatasetVersion" as const, id: version.id })),
        ...entry.features.map((feature) => ({ kind: "Feature" as const, id: feature.id })),
        ...entry.commits.map((commit) => ({ kind: "CodeCommit" as const, id: commit.id })),
      ]),
    ];
    const nodes = uniqueTargets(targets);
    const events = await this.audit.eventsOf(nodes);
    const audit: ReportAudit = {
      nodes: nodes.map((node) => ({ ...node, nodeId: encodeNodeId(node.kind, node.id) })),
      events: events.map(toReportAuditEvent),
      chainVerification: await this.verify(events),
    };
    withAlertActors(monitoring.alerts, events);

    const content: Omit<ComplianceReport, "digest"> = {
      schemaVersion: COMPLIANCE_REPORT_SCHEMA_VERSION,
      generatedAt: iso(generatedAt),
      target:
        "deploymentId" in target
          ? { kind: "DEPLOYMENT", id: target.deploymentId, nodeId: encodeNodeId("Deployment", target.deploymentId) }
          : { kind: "MODEL_VERSION", id: target.modelVersionId, nodeId: encodeNodeId("ModelVersion", target.modelVersionId) },
      subject,
      provenance,
      metrics,
      approvalsSource: APPROVALS_SOURCE,
      approvals: approvalsOf(events, subjectIds, labelOf),
      deployments: histories,
      monitoring,
      audit,
      digestMethod: COMPLIANCE_REPORT_DIGEST_METHOD,
    };
    // Through JSON once, so the digest covers exactly what a reader of the JSON sees.
    const json = JSON.parse(JSON.stringify(content)) as Omit<ComplianceReport, "digest">;
    return { ...json, digest: complianceReportDigest(json) };
  }

  /** The model versions and deployments the report covers; NOT_FOUND for an unknown target. */
  private async scope(
    target: ComplianceReportTarget,
  ): Promise<{ modelVersions: ModelVersionRecord[]; deployments: DeploymentRecord[] }> {
    if ("deploymentId" in target) {
      const [deployment] = await this.repos.deployments.findByIds([target.deploymentId]);
      if (!deployment) {
        throw new EntityNotFoundError("Deployment", encodeNodeId("Deployment", target.deploymentId), "deploymentId");
      }
      const revisions = await this.repos.deployments.findRevisionsByDeploymentIds([deployment.id]);
      const versionIds = unique(revisions.flatMap((revision) => revision.trafficSplit.map((share) => share.modelVersionId)));
      const modelVersions = await this.repos.modelVersions.findByIds(versionIds);
      const models = byId(await this.repos.models.findByIds(unique(modelVersions.map((version) => version.modelId))));
      modelVersions.sort(
        (a, b) =>
          compare(models.get(a.modelId)?.name ?? "", models.get(b.modelId)?.name ?? "") ||
          compare(a.modelId, b.modelId) ||
          a.version - b.version,
      );
      return { modelVersions, deployments: [deployment] };
    }
    const [modelVersion] = await this.repos.modelVersions.findByIds([target.modelVersionId]);
    if (!modelVersion) {
      throw new EntityNotFoundError("Model version", encodeNodeId("ModelVersion", target.modelVersionId), "modelVersionId");
    }
    // Every deployment it ever served on (SERVES edges up to now), so its history is complete.
    const serves = await this.repos.lineageEdges.servesFrom([modelVersion.id], this.clock());
    const deployments = await this.repos.deployments.findByIds(unique(serves.map((edge) => edge.downstream.id)));
    deployments.sort((a, b) => compare(a.name, b.name) || compare(a.id, b.id));
    return { modelVersions: [modelVersion], deployments };
  }

  /** Upstream of each model version through LineageService.provenance, hydrated with the entities. */
  private async provenance(
    modelVersions: readonly ModelVersionRecord[],
    labelOf: (id: string) => string,
  ): Promise<ReportProvenance[]> {
    const answers = [];
    for (const version of modelVersions) {
      const { result } = await this.lineage.provenance({
        modelVersion: { type: "MODEL_VERSION", id: version.id, shownAs: encodeNodeId("ModelVersion", version.id) },
        maxDepth: PROVENANCE_DEPTH,
        limit: PROVENANCE_LIMIT,
        consistency: "LATEST",
      });
      answers.push({ version, answer: result.modelVersions[0]!, truncated: result.truncated });
    }
    const runIds = unique(answers.flatMap(({ answer }) => answer.runs.map((node) => node.id)));
    const runs = byId(await this.repos.runs.findByIds(runIds));
    const jobs = byId(await this.repos.jobs.findByIds(unique([...runs.values()].map((run) => run.jobId))));
    const datasetVersions = byId(
      await this.repos.datasets.findVersionsByIds(
        unique(answers.flatMap(({ answer }) => answer.datasetVersions.map((entry) => entry.id))),
      ),
    );
    const datasets = byId(await this.repos.datasets.findByIds(unique([...datasetVersions.values()].map((row) => row.datasetId))));
    const features = byId(
      await this.repos.features.findByIds(unique(answers.flatMap(({ answer }) => answer.features.map((node) => node.id)))),
    );
    const featureSets = byId(
      await this.repos.featureSets.findByIds(unique([...features.values()].map((row) => row.featureSetId))),
    );
    const commits = byId(
      await this.repos.codeCommits.findByIds(unique(answers.flatMap(({ answer }) => answer.commits.map((node) => node.id)))),
    );
    const namespaces = byId(
      await this.repos.namespaces.findByIds(unique([...datasets.values()].map((dataset) => dataset.namespaceId))),
    );

    return answers.map(({ version, answer, truncated }) => {
      const reportRuns: ReportRun[] = answer.runs.flatMap((node) => {
        const run = runs.get(node.id);
        if (!run) return [];
        const job = jobs.get(run.jobId);
        return [
          {
            id: run.id,
            nodeId: encodeNodeId("Run", run.id),
            depth: node.depth,
            job: job?.name ?? run.jobId,
            jobType: job?.jobType ?? null,
            externalId: run.externalId,
            status: run.status,
            parentRunId: run.parentRunId,
            commitId: run.commitId,
            hyperparameters: run.hyperparameters,
            startedAt: isoOrNull(run.startedAt),
            endedAt: isoOrNull(run.endedAt),
          },
        ];
      });
      return {
        modelVersionId: version.id,
        label: labelOf(version.id),
        producingRunId: version.sourceRunId ?? reportRuns.find((run) => run.depth === 1)?.id ?? null,
        runs: reportRuns,
        datasetVersions: answer.datasetVersions.flatMap((entry) => {
          const row = datasetVersions.get(entry.id);
          const dataset = row ? datasets.get(row.datasetId) : undefined;
          if (!row || !dataset) return [];
          return [
            {
              id: row.id,
              nodeId: encodeNodeId("DatasetVersion", row.id),
              namespace: namespaces.get(dataset.namespaceId)?.name ?? dataset.namespaceId,
              dataset: dataset.name,
              version: row.version,
              digest: row.digest,
              uri: row.uri,
              format: row.format,
              rowCount: row.rowCount,
              snapshotRef: row.snapshotRef,
              role: entry.role,
              readByRunId: entry.readByRunId,
              depth: entry.depth,
            },
          ];
        }),
        features: answer.features.flatMap((node) => {
          const feature = features.get(node.id);
          if (!feature) return [];
          return [
            {
              id: feature.id,
              nodeId: encodeNodeId("Feature", feature.id),
              featureSet: featureSets.get(feature.featureSetId)?.name ?? feature.featureSetId,
              name: feature.name,
              dtype: feature.dtype,
              transformationRef: feature.transformationRef,
              depth: node.depth,
            },
          ];
        }),
        commits: answer.commits.flatMap((node) => {
          const commit = commits.get(node.id);
          if (!commit) return [];
          return [
            {
              id: commit.id,
              nodeId: encodeNodeId("CodeCommit", commit.id),
              repository: commit.repository,
              sha: commit.sha,
              branch: commit.branch,
              author: commit.author,
              message: commit.message,
              committedAt: isoOrNull(commit.committedAt),
              depth: node.depth,
            },
          ];
        }),
        lineageTruncated: truncated,
      };
    });
  }

  private async metrics(
    modelVersions: readonly ModelVersionRecord[],
    provenance: readonly ReportProvenance[],
    labelOf: (id: string) => string,
  ): Promise<ReportMetrics[]> {
    const runIds = unique(provenance.flatMap((entry) => entry.runs.map((run) => run.id)));
    const runs = byId(await this.repos.runs.findByIds(runIds));
    const points = runIds.length > 0 ? await this.repos.metricPoints.seriesOf(runIds, [], MAX_CURVE_POINTS) : [];
    return modelVersions.map((version) => {
      const entry = provenance.find((item) => item.modelVersionId === version.id)!;
      const runMetrics: ReportRunMetrics[] = entry.runs.flatMap((reportRun) => {
        const run = runs.get(reportRun.id) as RunRecord | undefined;
        if (!run || Object.keys(run.latestMetrics).length === 0) return [];
        return [
          {
            runId: run.id,
            depth: reportRun.depth,
            final: Object.entries(run.latestMetrics)
              .map(([key, latest]) => ({
                key,
                split: metricSplitOf(key),
                value: latest.value,
                step: latest.step,
                timestamp: latest.timestamp,
              }))
              .sort((a, b) => compare(a.key, b.key)),
            curves: summarizeCurves(points.filter((point) => point.runId === run.id)),
          },
        ];
      });
      return {
        modelVersionId: version.id,
        label: labelOf(version.id),
        modelVersion: Object.entries(version.metrics)
          .filter(([key]) => !key.startsWith(FEATURE_IMPORTANCE_METRIC_PREFIX))
          .map(([key, value]) => ({ key, split: metricSplitOf(key), value, step: null, timestamp: null }))
          .sort((a, b) => compare(a.key, b.key)),
        featureImportance: featureImportanceOf(version.metrics),
        runs: runMetrics,
      };
    });
  }

  private async monitoring(
    target: ComplianceReportTarget,
    deployments: readonly DeploymentRecord[],
    subjectIds: ReadonlySet<string>,
  ): Promise<ReportMonitoring> {
    const alerts: AlertRecord[] = [];
    const driftReports: DriftReportRecord[] = [];
    let driftReportCount = 0;
    for (const deployment of deployments) {
      alerts.push(
        ...(await this.repos.alerts.list({ deploymentId: deployment.id }, everything([{ raisedAt: "asc" }, { id: "asc" }]))),
      );
      driftReports.push(
        ...(await this.repos.driftReports.listByDeployment(
          deployment.id,
          everything([{ createdAt: "desc" }, { id: "desc" }], MAX_DRIFT_REPORTS),
        )),
      );
      driftReportCount += await this.repos.driftReports.countByDeployment(deployment.id);
    }
    // A model version's report keeps what concerns it; a deployment's keeps everything on it.
    const concernsSubject = (modelVersionIds: readonly string[]) =>
      "deploymentId" in target || modelVersionIds.some((id) => subjectIds.has(id));
    const reports = driftReports
      .filter((report) => concernsSubject([report.modelVersionId]))
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || compare(a.id, b.id));
    return {
      alerts: alerts
        .filter((alert) => concernsSubject(alert.details.modelVersionIds))
        .sort((a, b) => a.raisedAt.getTime() - b.raisedAt.getTime() || compare(a.id, b.id))
        .map(toReportAlert),
      driftReportCount: "deploymentId" in target ? driftReportCount : reports.length,
      driftReportsWithDrift: reports.filter((report) => report.driftedFeatures.length > 0 || predictionDrifted(report)).length,
      driftReports: reports.map(toReportDriftReport),
      driftReportsTruncated: driftReports.length >= MAX_DRIFT_REPORTS * deployments.length && deployments.length > 0,
    };
  }

  /** verifyAuditChain over the occurrence times the events span. */
  private async verify(events: readonly ChainedAuditEvent[]): Promise<ReportChainVerification | null> {
    if (events.length === 0) return null;
    const times = events.map((event) => event.occurredAt.getTime());
    const from = new Date(Math.min(...times));
    const to = new Date(Math.max(...times) + 1);
    const result = await this.auditEvents.verifyChain({ from, to });
    return { from: iso(from), to: iso(to), ...result };
  }
}

function uniqueTargets(targets: readonly AuditTarget[]): AuditTarget[] {
  const seen = new Map<string, AuditTarget>();
  for (const target of targets) seen.set(`${target.kind}:${target.id}`, target);
  return [...seen.values()].sort((a, b) => compare(a.kind, b.kind) || compare(a.id, b.id));
}

function toReportDeployment(deployment: DeploymentRecord, namespace: string): ReportDeployment {
  return {
    id: deployment.id,
    nodeId: encodeNodeId("Deployment", deployment.id),
    namespace,
    name: deployment.name,
    environment: deployment.environment,
    description: deployment.description,
    createdAt: iso(deployment.createdAt),
  };
}

function toReportModel(
  model: ModelRecord,
  namespace: string,
  aliases: ReadonlyArray<{ modelId: string; alias: string; modelVersionId: string; updatedAt: Date }>,
  versions: ReadonlyMap<string, ModelVersionRecord>,
): ReportModel {
  return {
    id: model.id,
    nodeId: encodeNodeId("Model", model.id),
    namespace,
    name: model.name,
    description: model.description,
    createdAt: iso(model.createdAt),
    aliases: aliases
      .filter((alias) => alias.modelId === model.id)
      .map((alias) => ({
        alias: alias.alias,
        modelVersionId: alias.modelVersionId,
        version: versions.get(alias.modelVersionId)?.version ?? null,
        updatedAt: iso(alias.updatedAt),
      }))
      .sort((a, b) => compare(a.alias, b.alias)),
  };
}

function revisionKind(revision: DeploymentRevisionRecord, rollouts: readonly RolloutRecord[]): ReportRevisionKind {
  if (rollouts.some((rollout) => rollout.startRevision === revision.revision)) return "ROLLOUT_START";
  const ended = rollouts.find((rollout) => rollout.endRevision === revision.revision);
  if (ended?.state === "PROMOTED") return "ROLLOUT_PROMOTION";
  if (ended?.state === "ROLLED_BACK") return "ROLLOUT_ROLLBACK";
  if (ended?.state === "ABORTED") return "ROLLOUT_ABORT";
  return revision.revision === 1 ? "INITIAL" : "TRAFFIC_CHANGE";
}

/** Revisions, rollouts and the share periods they imply, for one deployment. */
function deploymentHistory(
  deployment: ReportDeployment,
  revisionsNewestFirst: readonly DeploymentRevisionRecord[],
  rolloutRecords: readonly RolloutRecord[],
  labelOf: (id: string) => string,
): ReportDeploymentHistory {
  const revisionRecords = [...revisionsNewestFirst].sort((a, b) => a.revision - b.revision);
  const revisions: ReportRevision[] = revisionRecords.map((revision, index) => {
    const next = revisionRecords[index + 1];
    return {
      id: revision.id,
      nodeId: encodeNodeId("DeploymentRevision", revision.id),
      revision: revision.revision,
      kind: revisionKind(revision, rolloutRecords),
      actor: revision.actor,
      reason: revision.reason,
      effectiveFrom: iso(revision.createdAt),
      effectiveUntil: next ? iso(next.createdAt) : null,
      trafficSplit: revision.trafficSplit
        .map((share) => ({ modelVersionId: share.modelVersionId, label: labelOf(share.modelVersionId), percent: share.percent }))
        .sort((a, b) => b.percent - a.percent || compare(a.label, b.label)),
    };
  });
  const actorOf = (revision: number | null) =>
    revision === null ? null : (revisionRecords.find((record) => record.revision === revision)?.actor ?? null);
  const rollouts: ReportRollout[] = [...rolloutRecords]
    .sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime() || compare(a.id, b.id))
    .map((rollout) => ({
      id: rollout.id,
      state: rollout.state,
      canaryModelVersionId: rollout.canaryModelVersionId,
      canaryLabel: labelOf(rollout.canaryModelVersionId),
      baselineModelVersionId: rollout.baselineModelVersionId,
      canaryPercent: rollout.canaryPercent,
      windowSeconds: rollout.windowSeconds,
      maxErrorRate: rollout.maxErrorRate,
      maxP99Ms: rollout.maxP99Ms,
      minRequests: rollout.minRequests,
      startRevision: rollout.startRevision,
      endRevision: rollout.endRevision,
      startedBy: rollout.actor,
      startedAt: iso(rollout.startedAt),
      endedBy: actorOf(rollout.endRevision),
      endedAt: isoOrNull(rollout.endedAt),
      reason: rollout.reason,
      lastHealth: rollout.lastStats,
    }));
  return { deployment, revisions, rollouts, trafficTimeline: trafficTimeline(deployment, revisions) };
}

/** Share periods: a revision's split holds until the next revision; equal consecutive shares merge. */
export function trafficTimeline(deployment: ReportDeployment, revisions: readonly ReportRevision[]): ReportServingPeriod[] {
  const periods: ReportServingPeriod[] = [];
  const open = new Map<string, ReportServingPeriod>();
  for (const revision of revisions) {
    const shares = new Map(
      revision.trafficSplit.filter((share) => share.percent > 0).map((share) => [share.modelVersionId, share.percent]),
    );
    for (const [modelVersionId, period] of open) {
      if (shares.get(modelVersionId) !== period.percent) {
        period.to = revision.effectiveFrom;
        open.delete(modelVersionId);
      }
    }
    for (const [modelVersionId, percent] of shares) {
      const current = open.get(modelVersionId);
      if (current) {
        current.revisions.push(revision.revision);
        continue;
      }
      const period: ReportServingPeriod = {
        deploymentId: deployment.id,
        deploymentName: deployment.name,
        environment: deployment.environment,
        modelVersionId,
        percent,
        from: revision.effectiveFrom,
        to: null,
        revisions: [revision.revision],
      };
      open.set(modelVersionId, period);
      periods.push(period);
    }
  }
  return periods.sort((a, b) => compare(a.from, b.from) || b.percent - a.percent || compare(a.modelVersionId, b.modelVersionId));
}

function predictionDrifted(report: DriftReportRecord): boolean {
  return record(report.predictionDrift)?.drifted === true;
}

function toReportAlert(alert: AlertRecord): ReportAlert {
  return {
    id: alert.id,
    nodeId: encodeNodeId("Alert", alert.id),
    deploymentId: alert.deploymentId,
    kind: alert.kind,
    severity: alert.severity,
    status: alert.status,
    ruleName: alert.details.ruleName,
    message: alert.message,
    observed: alert.details.observed,
    threshold: alert.details.threshold,
    driftingFeatures: [...alert.driftingFeatures],
    modelVersionIds: [...alert.details.modelVersionIds].sort(compare),
    driftReportId: alert.driftReportId,
    raisedAt: iso(alert.raisedAt),
    raisedBy: null,
    acknowledgedAt: isoOrNull(alert.acknowledgedAt),
    acknowledgedBy: null,
    resolvedAt: isoOrNull(alert.resolvedAt),
    resolvedBy: null,
  };
}

/** Who raised, acknowledged and resolved each alert, from the audit events on its deployment. */
function withAlertActors(alerts: ReportAlert[], events: readonly ChainedAuditEvent[]): void {
  const field = { "alert.raised": "raisedBy", "alert.acknowledged": "acknowledgedBy", "alert.resolved": "resolvedBy" } as const;
  for (const event of events) {
    const key = field[event.action as keyof typeof field];
    if (!key) continue;
    const alertId = stringField(event.after, "alertId");
    const alert = alerts.find((item) => item.id === alertId);
    if (alert) alert[key] = event.actor;
  }
}

function toReportDriftReport(report: DriftReportRecord): ReportDriftReport {
  return {
    id: report.id,
    nodeId: encodeNodeId("DriftReport", report.id),
    deploymentId: report.deploymentId,
    modelVersionId: report.modelVersionId,
    windowStart: iso(report.windowStart),
    windowEnd: iso(report.windowEnd),
    sampleCount: report.sampleCount,
    driftedFeatures: [...report.driftedFeatures],
    predictionDrifted: predictionDrifted(report),
    skipped: report.featureScores?.skipped ?? null,
    serving: report.serving,
    createdAt: iso(report.createdAt),
  };
}

function toReportAuditEvent(event: ChainedAuditEvent): ReportAuditEvent {
  return {
    sequence: event.sequence,
    id: event.id,
    occurredAt: iso(event.occurredAt),
    actor: event.actor,
    tokenId: event.tokenId,
    role: event.role,
    action: event.action,
    targetType: event.targetType,
    targetId: event.targetId,
    targetNodeId: encodeNodeId(event.targetType, event.targetId),
    namespaceId: event.namespaceId,
    requestId: event.requestId,
    clientAddress: event.clientAddress,
    before: event.before,
    after: event.after,
    prevHash: event.prevHash,
    hash: event.hash,
  };
}

const ROLLOUT_APPROVALS: Record<string, ReportApprovalKind> = {
  "rollout.started": "ROLLOUT_STARTED",
  "rollout.promoted": "ROLLOUT_PROMOTED",
  "rollout.rolled_back": "ROLLOUT_ROLLED_BACK",
  "rollout.aborted": "ROLLOUT_ABORTED",
};

/** The audit events that put a subject model version forward (or took it back), in chain order. */
function approvalsOf(
  events: readonly ChainedAuditEvent[],
  subjectIds: ReadonlySet<string>,
  labelOf: (id: string) => string,
): ReportApproval[] {
  const approvals: ReportApproval[] = [];
  const add = (
    event: ChainedAuditEvent,
    kind: ReportApprovalKind,
    modelVersionId: string,
    deploymentId: string | null,
    detail: string,
  ) =>
    approvals.push({
      kind,
      modelVersionId,
      deploymentId,
      actor: event.actor,
      tokenId: event.tokenId,
      role: event.role,
      occurredAt: iso(event.occurredAt),
      auditSequence: event.sequence,
      auditEventId: event.id,
      detail,
    });
  for (const event of events) {
    if (event.action === "model_alias.set" || event.action === "model_alias.removed") {
      const snapshot = event.action === "model_alias.set" ? event.after : event.before;
      const modelVersionId = stringField(snapshot, "modelVersionId");
      const alias = stringField(snapshot, "alias") ?? "?";
      if (modelVersionId && subjectIds.has(modelVersionId)) {
        const set = event.action === "model_alias.set";
        const previous = set ? stringField(event.before, "modelVersionId") : null;
        add(
          event,
          set ? "ALIAS_SET" : "ALIAS_REMOVED",
          modelVersionId,
          null,
          set
            ? `Alias "${alias}" set on ${labelOf(modelVersionId)}${previous ? ` (moved from ${labelOf(previous)})` : ""}.`
            : `Alias "${alias}" removed from ${labelOf(modelVersionId)}.`,
        );
      }
    } else if (event.action === "deployment_revision.created") {
      const after = record(event.after);
      const split = Array.isArray(after?.trafficSplit) ? (after.trafficSplit as unknown[]) : [];
      const deploymentId = stringField(after, "deploymentId");
      for (const share of split) {
        const modelVersionId = stringField(share, "modelVersionId");
        const percent = record(share)?.percent;
        if (modelVersionId && subjectIds.has(modelVersionId) && typeof percent === "number" && percent > 0) {
          add(
            event,
            "TRAFFIC_ASSIGNED",
            modelVersionId,
            deploymentId,
            `Revision ${String(after?.revision ?? "?")} gave ${labelOf(modelVersionId)} ${percent}% of the traffic${
              after?.reason ? ` — ${String(after.reason)}` : ""
            }.`,
          );
        }
      }
    } else if (event.action in ROLLOUT_APPROVALS) {
      const after = record(event.after);
      const modelVersionId = stringField(after, "canaryModelVersionId");
      if (modelVersionId && subjectIds.has(modelVersionId)) {
        const kind = ROLLOUT_APPROVALS[event.action]!;
        const reason = stringField(after, "reason");
        add(
          event,
          kind,
          modelVersionId,
          event.targetType === "Deployment" ? event.targetId : null,
          `Canary rollout of ${labelOf(modelVersionId)} at ${String(after?.canaryPercent ?? "?")}%: ${kind
            .slice("ROLLOUT_".length)
            .toLowerCase()
            .replace("_", " ")}${reason ? ` — ${reason}` : ""}.`,
        );
      }
    }
  }
  return approvals;
}
