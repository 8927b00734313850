import { CodeCommit } from "../commit/code-commit.type.js";
import { InputInvalidError } from "../errors/common-errors.js";
import { AuditEvent } from "../audit/audit-event.type.js";
import { DatasetField } from "../dataset/dataset-field.type.js";
import { Dataset, DatasetVersion } from "../dataset/dataset.type.js";
import { Deployment, DeploymentRevision } from "../deployment/deployment.type.js";
import { FeatureSet } from "../feature/feature-set.type.js";
import { Feature } from "../feature/feature.type.js";
import { Model, ModelVersion } from "../model/model.type.js";
import { Namespace } from "../namespace/namespace.type.js";
import { Alert, DriftReport } from "../monitoring/monitoring.type.js";
import { Job, Run } from "../run/run.type.js";
import { QueueJob } from "../queue/queue-job.type.js";
import type { RequestContext } from "./context.js";
import type { NodeKind } from "./node-id.js";
import type { Node } from "./node.type.js";

type NodeFetcher = (key: string, ctx: RequestContext) => Promise<Node | null>;

function fetchWith<Row>(load: (ctx: RequestContext, key: string) => Promise<Row | null>, from: (row: Row) => Node): NodeFetcher {
  return async (key, ctx) => {
    const row = await load(ctx, key);
    return row ? from(row) : null;
  };
}

/**
 * Alert rules have node ids but are not `Node` types in the schema (a rule is a deployment's
 * setting), so `node(id)` answers BAD_USER_INPUT pointing at the query that lists them.
 */
function listedBy(kindWithArticle: string, query: string): NodeFetcher {
  return async () => {
    throw new InputInvalidError("id", `is the id of ${kindWithArticle}, which node(id) does not fetch; query ${query} instead.`);
  };
}

/** How `node(id)` finds each kind of node (through the request's DataLoaders). */
export const NODE_FETCHERS: Record<NodeKind, NodeFetcher> = {
  // The audit log is the AUDITOR's, per namespace (a global event needs a global AUDITOR): to
  // anyone else an event's id names nothing.
  AuditEvent: fetchWith(async (ctx, key) => {
    if (!ctx.access.grantsAnywhere(["AUDITOR"])) return null;
    const row = await ctx.loaders.auditEventById.load(key);
    return row && ctx.access.can(["AUDITOR"], row.namespaceId ?? null) ? row : null;
  }, AuditEvent.from),
  QueueJob: fetchWith((ctx, key) => ctx.loaders.queueJobById.load(key), QueueJob.from),
  Namespace: fetchWith((ctx, key) => ctx.loaders.namespaceById.load(key), Namespace.from),
  Dataset: fetchWith((ctx, key) => ctx.loaders.datasetById.load(key), Dataset.from),
  DatasetVersion: fetchWith((ctx, key) => ctx.loaders.datasetVersionById.load(key), DatasetVersion.from),
  DatasetField: fetchWith((ctx, key) => ctx.loaders.datasetFieldById.load(key), DatasetField.from),
  FeatureSet: fetchWith((ctx, key) => ctx.loaders.featureSetById.load(key), FeatureSet.from),
  Feature: fetchWith((ctx, key) => ctx.loaders.featureById.load(key), Feature.from),
  CodeCommit: fetchWith((ctx, key) => ctx.loaders.codeCommitById.load(key), CodeCommit.from),
  Job: fetchWith((ctx, key) => ctx.loaders.jobById.load(key), Job.from),
  Run: fetchWith((ctx, key) => ctx.loaders.runById.load(key), Run.from),
  Model: fetchWith((ctx, key) => ctx.loaders.modelById.load(key), Model.from),
  ModelVersion: fetchWith((ctx, key) => ctx.loaders.modelVersionById.load(key), ModelVersion.from),
  Deployment: fetchWith((ctx, key) => ctx.loaders.deploymentById.load(key), Deployment.from),
  DeploymentRevision: fetchWith((ctx, key) => ctx.loaders.deploymentRevisionById.load(key), DeploymentRevision.from),
  Alert: fetchWith((ctx, key) => ctx.loaders.alertById.load(key), Alert.from),
  DriftReport: fetchWith((ctx, key) => ctx.loaders.driftReportById.load(key), DriftReport.from),
  AlertRule: listedBy("an AlertRule", "deployment { alertRules }"),
  User: listedBy("a User", "me"),
  ApiToken: listedBy("an ApiToken", "apiTokens"),
  // Exports need the AUDITOR role, which node(id) does not check.
  Export: listedBy("an Export", "export(id)"),
} as Record<NodeKind, NodeFetcher>;
