import "reflect-metadata";
import type { GraphQLSchema } from "graphql";
import { type NonEmptyArray, buildSchema } from "type-graphql";
import { CodeCommitResolver } from "../commit/code-commit.resolver.js";
import { AuditEventResolver } from "../audit/audit-event.resolver.js";
import {
  DatasetFieldResolver,
  DatasetVersionFieldsResolver,
  FieldDerivationResolver,
} from "../dataset/column-lineage.resolver.js";
import { DatasetResolver, DatasetVersionResolver } from "../dataset/dataset.resolver.js";
import { DeploymentRevisionResolver } from "../deployment/deployment-revision.resolver.js";
import { DeploymentResolver } from "../deployment/deployment.resolver.js";
import { DeploymentRolloutsResolver, RolloutResolver } from "../deployment/rollout.resolver.js";
import { BatchInferenceResolver } from "../batch-inference/batch-inference.resolver.js";
import { FeatureSetResolver } from "../feature/feature-set.resolver.js";
import { FeatureResolver } from "../feature/feature.resolver.js";
import { ModelVersionResolver } from "../model/model-version.resolver.js";
import { ModelResolver } from "../model/model.resolver.js";
import {
  ImpactedDeploymentResolver,
  ModelVersionProvenanceResolver,
  ProvenanceDatasetVersionResolver,
  ProvenanceResolver,
  ProvenanceRunResolver,
  ServingShareResolver,
} from "../lineage/lineage-answers.resolver.js";
import { LineageNodeResolver, LineageResolver } from "../lineage/lineage.resolver.js";
import { NamespaceResolver } from "../namespace/namespace.resolver.js";
import { QueueJobResolver } from "../queue/queue-job.resolver.js";
import { DatasetVersionRunsResolver } from "../run/dataset-version-runs.resolver.js";
import { JobResolver } from "../run/job.resolver.js";
import { RunContextResolver } from "../run/run-context.resolver.js";
import { RunResolver } from "../run/run.resolver.js";
import { TrainingResolver } from "../training/training.resolver.js";
import {
  AlertDatasetVersionLinkResolver,
  AlertResolver,
  DeploymentMonitoringResolver,
  DriftReportResolver,
  MonitoringResolver,
} from "../monitoring/monitoring.resolver.js";
import { RunSweepResolver, SweepResolver, SweepTrialResolver } from "../training/sweep.resolver.js";
import { IdentityResolver } from "../identity/identity.resolver.js";
import {
  DeploymentServingStatsResolver,
  ModelVersionServingStatsResolver,
  PredictResolver,
} from "../serving/predict.resolver.js";
import { ComplianceReportResolver } from "../compliance/compliance-report.resolver.js";
import { ExportResolver } from "../export/export.resolver.js";
import { NodeResolver } from "./node.resolver.js";
import { contextEventBusOnly, SubscriptionResolver } from "./subscription.resolver.js";
import { validateArguments } from "./validate-arguments.js";
import { pedigreeAuthChecker } from "../access/auth-checker.js";
import { hideInvisibleNodes } from "../access/visibility.middleware.js";
import {
  DatasetOpenLineageResolver,
  DatasetVersionOpenLineageResolver,
  JobOpenLineageResolver,
  RunOpenLineageResolver,
} from "../openlineage/openlineage.resolver.js";

// biome-ignore lint/complexity/noBannedTypes: type-graphql takes resolver classes
export const RESOLVERS: NonEmptyArray<Function> = [
  NodeResolver,
  LineageResolver,
  LineageNodeResolver,
  ImpactedDeploymentResolver,
  ServingShareResolver,
  ProvenanceResolver,
  ModelVersionProvenanceResolver,
  ProvenanceRunResolver,
  ProvenanceDatasetVersionResolver,
  AuditEventResolver,
  QueueJobResolver,
  NamespaceResolver,
  DatasetResolver,
  DatasetVersionResolver,
  DatasetVersionFieldsResolver,
  DatasetFieldResolver,
  FieldDerivationResolver,
  FeatureSetResolver,
  FeatureResolver,
  CodeCommitResolver,
  JobResolver,
  RunResolver,
  RunContextResolver,
  DatasetVersionRunsResolver,
  ModelResolver,
  ModelVersionResolver,
  DeploymentResolver,
  DeploymentRevisionResolver,
  RolloutResolver,
  DeploymentRolloutsResolver,
  BatchInferenceResolver,
  TrainingResolver,
  MonitoringResolver,
  DeploymentMonitoringResolver,
  DriftReportResolver,
  AlertResolver,
  AlertDatasetVersionLinkResolver,
  SweepResolver,
  SweepTrialResolver,
  RunSweepResolver,
  RunOpenLineageResolver,
  JobOpenLineageResolver,
  DatasetOpenLineageResolver,
  DatasetVersionOpenLineageResolver,
  IdentityResolver,
  PredictResolver,
  DeploymentServingStatsResolver,
  ModelVersionServingStatsResolver,
  ComplianceReportResolver,
  SubscriptionResolver,
  ExportResolver,
];

let cached: Promise<GraphQLSchema> | undefined;

/** The executable schema; built once per process (type-graphql's metadata is global). */
export function buildPedigreeSchema(): Promise<GraphQLSchema> {
  cached ??= buildSchema({
    resolvers: RESOLVERS,
    validateFn: validateArguments,
    pubSub: contextEventBusOnly,
    // Roles: every operation is `@Authorized(...)`; the checker refuses with typed errors.
    authChecker: pedigreeAuthChecker,
    authMode: "error",
    // Namespaces: nodes the caller cannot read are hidden wherever a resolver returns them.
    globalMiddlewares: [hideInvisibleNodes],
  });
  return cached;
}
