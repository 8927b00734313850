import { AuditEventService } from "./audit/audit-event.service.js";
import { ChangeRecorder } from "./audit/change-recorder.js";
import { CodeCommitService } from "./commit/code-commit.service.js";
import type { Database } from "./db/database.js";
import type { EventBus } from "./events/event-bus.js";
import { LiveEventsService } from "./events/live-events.service.js";
import { ColumnLineageService } from "./dataset/column-lineage.service.js";
import { DatasetService } from "./dataset/dataset.service.js";
import { DeploymentService } from "./deployment/deployment.service.js";
import { DeploymentEventPublisher } from "./deployment/deployment-events.js";
import { rolloutSettingsFromEnv } from "./deployment/rollout-settings.js";
import { RolloutService } from "./deployment/rollout.service.js";
import { ExportService } from "./export/export.service.js";
import { type ExportSettings, loadExportSettings } from "./export/export-settings.js";
import { BatchInferenceService } from "./batch-inference/batch-inference.service.js";
import { FeatureSetService } from "./feature/feature-set.service.js";
import { FeatureService } from "./feature/feature.service.js";
import { IdentityService } from "./identity/identity.service.js";
import { AccessService, type AccessOptions } from "./access/access.service.js";
import { LineageNodeGuard } from "./lineage/lineage-node-guard.js";
import type { LineageRuntime } from "./lineage/lineage-runtime.js";
import type { QueueRuntime } from "./queue/queue-runtime.js";
import { LineageService } from "./lineage/lineage.service.js";
import { ModelAliasService } from "./model/model-alias.service.js";
import { ModelVersionService } from "./model/model-version.service.js";
import { ModelService } from "./model/model.service.js";
import { NamespaceService } from "./namespace/namespace.service.js";
import { OpenLineageService } from "./openlineage/openlineage.service.js";
import type { Repositories } from "./repositories.js";
import { JobService } from "./run/job.service.js";
import { MetricService } from "./run/metric.service.js";
import { RunService } from "./run/run.service.js";
import { RunLookupService } from "./run/run-lookup.service.js";
import { TrainingService } from "./training/training.service.js";
import { loadSweepConfig } from "./training/sweep-config.js";
import { SweepService } from "./training/sweep.service.js";
import { createLogger, type Logger } from "./lib/logger.js";
import { loadServingConfig, type ServingConfig } from "./serving/serving-config.js";
import { PredictionService } from "./serving/prediction.service.js";
import { GroundTruthService } from "./monitoring/ground-truth/ground-truth.service.js";
import { MonitoringService } from "./monitoring/monitoring.service.js";
import { MonitorScheduler } from "./monitoring/monitor-scheduler.js";
import { ComplianceAuditRepository } from "./compliance/compliance-audit.repository.js";
import { ComplianceReportService } from "./compliance/compliance-report.js";

/** Every domain service, created once per process. Services are the only code that writes. */
export function createServices(
  db: Database,
  repos: Repositories,
  lineageRuntime: LineageRuntime,
  queues: QueueRuntime,
  events: EventBus,
  // The API passes its config and logger; other processes get the defaults (they do not serve).
  serving: { config: ServingConfig; logger: Logger } = { config: loadServingConfig(), logger: createLogger("warn") },
  // Scheduled monitoring (PedigreeConfig.monitorIntervalMs); off unless the process passes its config.
  work: { monitorIntervalMs: number; exports?: ExportSettings } = { monitorIntervalMs: 0 },
  // Who may do what (PedigreeConfig.anonymousRole); processes that serve no requests keep the default.
  accessOptions: AccessOptions = { anonymousRole: null },
) {
  const recorder = new ChangeRecorder(repos.lineageEdges, repos.auditEvents, repos.graphOutbox, repos.nodeNamespaces);
  const guard = new LineageNodeGuard(repos.lineageNodes);
  const namespaces = new NamespaceService(db, repos.namespaces, recorder);
  const datasets = new DatasetService(db, repos.datasets, namespaces, guard, recorder);
  const columnLineage = new ColumnLineageService(db, repos.datasets, repos.datasetFields, guard, recorder);
  const featureSets = new FeatureSetService(db, repos.featureSets, namespaces, recorder);
  const features = new FeatureService(db, repos.features, repos.featureSets, guard, recorder);
  const codeCommits = new CodeCommitService(db, repos.codeCommits, namespaces, recorder);
  const jobs = new JobService(db, repos.jobs, namespaces, recorder);
  const runs = new RunService(db, repos.runs, jobs, guard, recorder, { events, logger: serving.logger });
  const metrics = new MetricService(db, repos.runs, repos.metricPoints, jobs, recorder);
  const models = new ModelService(db, repos.models, namespaces, recorder);
  const modelAliases = new ModelAliasService(db, repos.models, repos.modelVersions, recorder);
  const modelVersions = new ModelVersionService(db, repos.modelVersions, models, modelAliases, guard, recorder);
  const auditEvents = new AuditEventService(repos.auditEvents);
  const deploymentEvents = new DeploymentEventPublisher(events);
  const deployments = new DeploymentService(
    db,
    repos.deployments,
    namespaces,
    modelVersions,
    recorder,
    repos.rollouts,
    deploymentEvents,
  );
  const rollouts = new RolloutService(
    db,
    repos.deployments,
    repos.rollouts,
    deployments,
    modelVersions,
    queues,
    recorder,
    deploymentEvents,
    rolloutSettingsFromEnv(),
    repos.servingStats,
  );
  const batchInference = new BatchInferenceService(db, repos, queues, recorder);
  const lineage = new LineageService(db, lineageRuntime, guard, repos.lineageEdges);
  const training = new TrainingService(db, repos, guard, queues, recorder);
  const sweeps = new SweepService(db, training, runs, metrics, queues, recorder, loadSweepConfig());
  const prediction = new PredictionService({ db, ...repos }, serving.config, serving.logger);
  const monitorScheduler =
    work.monitorIntervalMs > 0
      ? new MonitorScheduler(async () => (await queues.connection()).schedulers("monitoring"), work.monitorIntervalMs)
      : null;
  const monitoring = new MonitoringService(db, repos, lineage, queues, recorder, monitorScheduler);
  const groundTruth = new GroundTruthService(db, recorder);
  // Compliance exports (issue 5): files under the configured export folder.
  const exports = new ExportService(db, repos, queues, recorder, work.exports ?? loadExportSettings(), serving.logger);
  return {
    queues,
    events,
    liveEvents: new LiveEventsService(events, repos),
    lineage,
    auditEvents,
    namespaces,
    datasets,
    columnLineage,
    featureSets,
    features,
    codeCommits,
    jobs,
    runs,
    metrics,
    models,
    modelVersions,
    modelAliases,
    deployments,
    rollouts,
    batchInference,
    training,
    sweeps,
    prediction,
    monitoring,
    groundTruth,
    identity: new IdentityService(db, repos.identity, recorder),
    exports,
    access: new AccessService(db, repos.identity, repos.nodeNamespaces, repos.auditEvents, serving.logger, accessOptions),
    complianceReports: new ComplianceReportService(repos, lineage, auditEvents, new ComplianceAuditRepository(db)),
    openLineage: new OpenLineageService(db, repos.openLineage, recorder, columnLineage, serving.logger),
    runLookup: new RunLookupService(db, repos),
  };
}

export type Services = ReturnType<typeof createServices>;
