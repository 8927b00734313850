import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { DatasetVersion } from "../dataset/dataset.type.js";
import { Deployment } from "../deployment/deployment.type.js";
import { Feature } from "../feature/feature.type.js";
import { toConnection } from "../graphql/connection.js";
import type { RequestContext } from "../graphql/context.js";
import { parseNodeId } from "../graphql/node-id.js";
import { PageArgs } from "../graphql/page-args.js";
import { ModelVersion } from "../model/model.type.js";
import { QueueJob } from "../queue/queue-job.type.js";
import { encodeNodeId } from "../graphql/node-id.js";
import { parseMonitoringId } from "./monitoring-ids.js";
import { AlertFilterInput, RecordGroundTruthInput, RunMonitoringInput, UpdateAlertRuleInput } from "./monitoring.inputs.js";
import {
  Alert,
  AlertConnection,
  AlertDatasetVersionLink,
  AlertRule,
  DriftReport,
  DriftReportConnection,
  RecordGroundTruthPayload,
} from "./monitoring.type.js";

const present = <T>(value: T | null | undefined): value is T => value !== null && value !== undefined;

@Resolver()
export class MonitoringResolver {
  @Authorized("VIEWER")
  @Query(() => DriftReportConnection, { description: "A deployment's drift reports, newest first." })
  async driftReports(
    @Arg("deploymentId", () => ID) deploymentId: string,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: RequestContext,
  ) {
    const key = parseNodeId(deploymentId, "Deployment", "deploymentId");
    const { page: result, count } = await ctx.services.monitoring.driftReports(key, page, ctx.access.visibleNamespaceIds());
    return toConnection(result, DriftReport.from, count);
  }

  @Authorized("VIEWER")
  @Query(() => AlertConnection, { description: "Alerts, newest first." })
  async alerts(
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: RequestContext,
    @Arg("filter", () => AlertFilterInput, { nullable: true }) filter?: AlertFilterInput,
  ) {
    const { page: result, count } = await ctx.services.monitoring.listAlerts(
      {
        deploymentId: filter?.deploymentId ? parseNodeId(filter.deploymentId, "Deployment", "filter.deploymentId") : undefined,
        namespace: filter?.namespace ?? undefined,
        statuses: filter?.statuses ?? undefined,
        kinds: filter?.kinds ?? undefined,
        visibleNamespaceIds: ctx.access.visibleNamespaceIds(),
      },
      page,
    );
    return toConnection(result, Alert.from, count);
  }

  @Authorized("ADMIN")
  @Mutation(() => AlertRule, {
    description: "Changes a deployment's alert rule (threshold, enabled) or adds one by name; audited.",
  })
  async updateAlertRule(@Arg("input", () => UpdateAlertRuleInput) input: UpdateAlertRuleInput, @Ctx() ctx: RequestContext) {
    const key = parseNodeId(input.deploymentId, "Deployment", "input.deploymentId");
    const { rule } = await ctx.services.monitoring.updateAlertRule(ctx, key, input.deploymentId, {
      name: input.name ?? null,
      kind: input.kind,
      threshold: input.threshold ?? null,
      enabled: input.enabled ?? null,
    });
    return AlertRule.from(rule);
  }

  @Authorized("DEPLOYER")
  @Mutation(() => Alert, { description: "Marks an alert as seen; it stays unresolved (no new alert of its rule meanwhile)." })
  async acknowledgeAlert(@Arg("id", () => ID) id: string, @Ctx() ctx: RequestContext) {
    return Alert.from(await ctx.services.monitoring.acknowledgeAlert(ctx, parseMonitoringId(id, "Alert", "id"), id));
  }

  @Authorized("DEPLOYER")
  @Mutation(() => Alert, { description: "Closes an alert; its rule may raise a new one when it fires again." })
  async resolveAlert(@Arg("id", () => ID) id: string, @Ctx() ctx: RequestContext) {
    return Alert.from(await ctx.services.monitoring.resolveAlert(ctx, parseMonitoringId(id, "Alert", "id"), id));
  }

  @Authorized("DEPLOYER")
  @Mutation(() => QueueJob, {
    description:
      "Queues a monitoring run of a deployment over a window (default the last hour); SERVICE_UNAVAILABLE when the queue is down.",
  })
  async runMonitoring(@Arg("input", () => RunMonitoringInput) input: RunMonitoringInput, @Ctx() ctx: RequestContext) {
    const key = parseNodeId(input.deploymentId, "Deployment", "input.deploymentId");
    const job = await ctx.services.monitoring.runMonitoring(ctx, key, input.deploymentId, {
      from: input.from ?? null,
      to: input.to ?? null,
    });
    return QueueJob.from(job);
  }

  @Authorized("EDITOR", "DEPLOYER")
  @Mutation(() => RecordGroundTruthPayload, {
    description: "Stores the observed outcome of served predictions (by predictionId); all or nothing.",
  })
  async recordGroundTruth(@Arg("input", () => RecordGroundTruthInput) input: RecordGroundTruthInput, @Ctx() ctx: RequestContext) {
    return ctx.services.groundTruth.record(
      ctx,
      input.entries.map((entry) => ({
        predictionId: entry.predictionId,
        label: entry.label ?? null,
        value: entry.value ?? null,
      })),
    );
  }
}

@Resolver(() => Deployment)
export class DeploymentMonitoringResolver {
  @FieldResolver(() => [AlertRule], {
    description: "The alert rules that apply: built-in defaults (maybe edited), then added rules.",
  })
  async alertRules(@Root() deployment: Deployment, @Ctx() ctx: RequestContext) {
    return (await ctx.services.monitoring.alertRules(deployment.key)).map(AlertRule.from);
  }
}

@Resolver(() => DriftReport)
export class DriftReportResolver {
  @FieldResolver(() => Deployment)
  async deployment(@Root() report: DriftReport, @Ctx() ctx: RequestContext) {
    return Deployment.from((await ctx.loaders.deploymentById.load(report.deploymentKey))!);
  }

  @FieldResolver(() => ModelVersion, { nullable: true })
  async modelVersion(@Root() report: DriftReport, @Ctx() ctx: RequestContext) {
    const row = await ctx.loaders.modelVersionById.load(report.modelVersionKey);
    return row ? ModelVersion.from(row) : null;
  }
}

@Resolver(() => AlertDatasetVersionLink)
export class AlertDatasetVersionLinkResolver {
  @FieldResolver(() => DatasetVersion, { nullable: true })
  async datasetVersion(@Root() link: AlertDatasetVersionLink, @Ctx() ctx: RequestContext) {
    const row = await ctx.loaders.datasetVersionById.load(link.datasetVersionKey);
    return row ? DatasetVersion.from(row) : null;
  }
}

@Resolver(() => Alert)
export class AlertResolver {
  @FieldResolver(() => Deployment)
  async deployment(@Root() alert: Alert, @Ctx() ctx: RequestContext) {
    return Deployment.from((await ctx.loaders.deploymentById.load(alert.deploymentKey))!);
  }

  @FieldResolver(() => DriftReport, { nullable: true, description: "The report of the worst model version." })
  async driftReport(@Root() alert: Alert, @Ctx() ctx: RequestContext) {
    if (!alert.driftReportKey) return null;
    const row = await ctx.loaders.driftReportById.load(alert.driftReportKey);
    return row ? DriftReport.from(row) : null;
  }

  @FieldResolver(() => [ModelVersion], { description: "The model versions that crossed the threshold." })
  async modelVersions(@Root() alert: Alert, @Ctx() ctx: RequestContext) {
    const rows = await Promise.all(alert.details.modelVersionIds.map((id) => ctx.loaders.modelVersionById.load(id)));
    return rows.filter(present).map(ModelVersion.from);
  }

  @FieldResolver(() => [AlertDatasetVersionLink], {
    description: "Dataset versions upstream of those model versions, with roles.",
  })
  upstreamDatasetVersions(@Root() alert: Alert) {
    return alert.details.lineage.datasetVersions.map((link) =>
      Object.assign(new AlertDatasetVersionLink(), { datasetVersionKey: link.id, role: link.role }),
    );
  }

  @FieldResolver(() => [Feature], { description: "Features upstream of those model versions." })
  async upstreamFeatures(@Root() alert: Alert, @Ctx() ctx: RequestContext) {
    const rows = await Promise.all(alert.details.lineage.featureIds.map((id) => ctx.loaders.featureById.load(id)));
    return rows.filter(present).map(Feature.from);
  }

  @FieldResolver(() => [ID], { description: "Runs upstream of those model versions (global ids)." })
  async upstreamRunIds(@Root() alert: Alert, @Ctx() ctx: RequestContext) {
    // Bare ids are not nodes, so the visibility middleware cannot hide them: filter here.
    const runIds = alert.details.lineage.runIds;
    const namespaces = ctx.access.readsEverything()
      ? []
      : await ctx.loaders.namespaceOfNode.loadMany(runIds.map((key) => ({ kind: "Run" as const, key })));
    return runIds
      .filter((_, index) => {
        const namespaceId = namespaces[index];
        return typeof namespaceId !== "string" || ctx.access.canRead(namespaceId);
      })
      .map((id) => encodeNodeId("Run", id));
  }

  @FieldResolver(() => [Deployment], { description: "Every deployment serving one of those model versions when raised." })
  async affectedDeployments(@Root() alert: Alert, @Ctx() ctx: RequestContext) {
    const rows = await Promise.all(alert.details.affectedDeploymentIds.map((id) => ctx.loaders.deploymentById.load(id)));
    return rows.filter(present).map(Deployment.from);
  }
}
