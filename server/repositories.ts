import { DatasetFieldRepository } from "./dataset/dataset-field.repository.js";
import { DatasetRepository } from "./dataset/dataset.repository.js";
import { AuditEventRepository } from "./audit/audit-event.repository.js";
import { CodeCommitRepository } from "./commit/code-commit.repository.js";
import type { Database } from "./db/database.js";
import { ExportRepository } from "./export/export.repository.js";
import { AuditExportRepository } from "./export/audit-export.repository.js";
import { DeploymentRepository } from "./deployment/deployment.repository.js";
import { RolloutRepository } from "./deployment/rollout.repository.js";
import { FeatureSetRepository } from "./feature/feature-set.repository.js";
import { FeatureRepository } from "./feature/feature.repository.js";
import { IdentityRepository } from "./identity/identity.repository.js";
import { NodeNamespaceRepository } from "./access/node-namespace.repository.js";
import { GraphOutboxRepository } from "./lineage/graph-outbox.repository.js";
import { LineageEdgeRepository } from "./lineage/lineage-edge.repository.js";
import { LineageNodeRepository } from "./lineage/lineage-node.repository.js";
import { ModelVersionRepository } from "./model/model-version.repository.js";
import { AlertRepository } from "./monitoring/alerts/alert.repository.js";
import { DriftReportRepository } from "./monitoring/drift-report.repository.js";
import { ModelRepository } from "./model/model.repository.js";
import { NamespaceRepository } from "./namespace/namespace.repository.js";
import { OpenLineageRepository } from "./openlineage/openlineage.repository.js";
import { QueueJobRepository } from "./queue/queue-job.repository.js";
import { JobRepository } from "./run/job.repository.js";
import { MetricPointRepository } from "./run/metric-point.repository.js";
import { RunRepository } from "./run/run.repository.js";
import { PredictionLogRepository } from "./serving/prediction-log.repository.js";
import { ServingStatsRepository } from "./serving/serving-stats.repository.js";

/** Every repository, created once per process; services and DataLoaders share them. */
export function createRepositories(db: Database) {
  return {
    namespaces: new NamespaceRepository(db),
    lineageEdges: new LineageEdgeRepository(db),
    lineageNodes: new LineageNodeRepository(),
    datasets: new DatasetRepository(db),
    datasetFields: new DatasetFieldRepository(db),
    featureSets: new FeatureSetRepository(db),
    features: new FeatureRepository(db),
    codeCommits: new CodeCommitRepository(db),
    jobs: new JobRepository(db),
    runs: new RunRepository(db),
    metricPoints: new MetricPointRepository(db),
    models: new ModelRepository(db),
    modelVersions: new ModelVersionRepository(db),
    deployments: new DeploymentRepository(db),
    rollouts: new RolloutRepository(db),
    graphOutbox: new GraphOutboxRepository(),
    auditEvents: new AuditEventRepository(db),
    queueJobs: new QueueJobRepository(db),
    predictionLog: new PredictionLogRepository(db),
    servingStats: new ServingStatsRepository(db),
    alerts: new AlertRepository(db),
    driftReports: new DriftReportRepository(db),
    identity: new IdentityRepository(db),
    exports: new ExportRepository(db),
    auditExport: new AuditExportRepository(db),
    nodeNamespaces: new NodeNamespaceRepository(db),
    openLineage: new OpenLineageRepository(db),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
