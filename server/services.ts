import { AuditEventService } from "./audit/audit-event.service.js";
import { ChangeRecorder } from "./audit/change-recorder.js";
import { CodeCommitService } from "./commit/code-commit.service.js";
import type { Database } from "./db/database.js";
import { ColumnLineageService } from "./dataset/column-lineage.service.js";
import { DatasetService } from "./dataset/dataset.service.js";
import { DeploymentService } from "./deployment/deployment.service.js";
import { FeatureSetService } from "./feature/feature-set.service.js";
import { FeatureService } from "./feature/feature.service.js";
import { LineageNodeGuard } from "./lineage/lineage-node-guard.js";
import type { LineageRuntime } from "./lineage/lineage-runtime.js";
import type { QueueRuntime } from "./queue/queue-runtime.js";
import { LineageService } from "./lineage/lineage.service.js";
import { ModelAliasService } from "./model/model-alias.service.js";
import { ModelVersionService } from "./model/model-version.service.js";
import { ModelService } from "./model/model.service.js";
import { NamespaceService } from "./namespace/namespace.service.js";
import type { Repositories } from "./repositories.js";
import { JobService } from "./run/job.service.js";
import { MetricService } from "./run/metric.service.js";
import { RunService } from "./run/run.service.js";
import { TrainingService } from "./training/training.service.js";

/** Every domain service, created once per process. Services are the only code that writes. */
export function createServices(db: Database, repos: Repositories, lineageRuntime: LineageRuntime, queues: QueueRuntime) {
  const recorder = new ChangeRecorder(repos.lineageEdges, repos.auditEvents, repos.graphOutbox);
  const guard = new LineageNodeGuard(repos.lineageNodes);
  const namespaces = new NamespaceService(db, repos.namespaces, recorder);
  const datasets = new DatasetService(db, repos.datasets, namespaces, guard, recorder);
  const columnLineage = new ColumnLineageService(db, repos.datasets, repos.datasetFields, guard, recorder);
  const featureSets = new FeatureSetService(db, repos.featureSets, namespaces, recorder);
  const features = new FeatureService(db, repos.features, repos.featureSets, guard, recorder);
  const codeCommits = new CodeCommitService(db, repos.codeCommits, namespaces, recorder);
  const jobs = new JobService(db, repos.jobs, namespaces, recorder);
  const runs = new RunService(db, repos.runs, jobs, guard, recorder);
  const metrics = new MetricService(db, repos.runs, repos.metricPoints, jobs, recorder);
  const models = new ModelService(db, repos.models, namespaces, recorder);
  const modelAliases = new ModelAliasService(db, repos.models, repos.modelVersions, recorder);
  const modelVersions = new ModelVersionService(db, repos.modelVersions, models, modelAliases, guard, recorder);
  const auditEvents = new AuditEventService(repos.auditEvents);
  const deployments = new DeploymentService(db, repos.deployments, namespaces, modelVersions, recorder);
  const lineage = new LineageService(db, lineageRuntime, guard, repos.lineageEdges);
  const training = new TrainingService(db, repos, guard, queues, recorder);
  return {
    queues,
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
    training,
  };
}

export type Services = ReturnType<typeof createServices>;
