import { Arg, Args, Authorized, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import { NodeIdInvalidError } from "../errors/common-errors.js";
import { ConnectionType, toConnection } from "../graphql/connection.js";
import type { RequestContext } from "../graphql/context.js";
import { parseNodeId, tryDecodeNodeId } from "../graphql/node-id.js";
import { AuditExportFilterInput, ExportListArgs } from "./export.inputs.js";
import { AuditExportFormat, Export } from "./export.type.js";

const ExportConnection = ConnectionType(Export, "Export");

@Resolver(() => Export)
export class ExportResolver {
  @Authorized("AUDITOR")
  @Mutation(() => Export, {
    description:
      "Queues an export of the audit events matching `filter` (all of them by default) in chain order, with a " +
      "manifest.json to check it offline (docs/audit.md). Follow it with export(id) or jobProgress(jobId).",
  })
  async requestAuditExport(
    @Ctx() ctx: RequestContext,
    @Arg("format", () => AuditExportFormat) format: AuditExportFormat,
    @Arg("filter", () => AuditExportFilterInput, { nullable: true }) filter?: AuditExportFilterInput | null,
  ) {
    const target = filter?.targetId ? tryDecodeNodeId(filter.targetId) : undefined;
    if (filter?.targetId && !target) throw new NodeIdInvalidError("filter.targetId", filter.targetId);
    const row = await ctx.services.exports.requestAuditExport(ctx, {
      format,
      filter: {
        since: filter?.since ?? undefined,
        until: filter?.until ?? undefined,
        actor: filter?.actor ?? undefined,
        action: filter?.action ?? undefined,
        targetType: filter?.targetType ?? undefined,
        target,
        namespaceId: filter?.namespaceId ? parseNodeId(filter.namespaceId, "Namespace", "filter.namespaceId") : undefined,
      },
    });
    return Export.from(row);
  }

  @Authorized("AUDITOR")
  @Mutation(() => Export, {
    description:
      "Queues the compliance report of a model version or a deployment (give exactly one) as report.json and a " +
      "human-readable report.pdf, with a manifest.json of their SHA-256 digests; modelComplianceReport answers the same JSON at once.",
  })
  async requestModelComplianceReport(
    @Ctx() ctx: RequestContext,
    @Arg("modelVersionId", () => ID, { nullable: true }) modelVersionId?: string | null,
    @Arg("deploymentId", () => ID, { nullable: true }) deploymentId?: string | null,
  ) {
    const row = await ctx.services.exports.requestComplianceReport(ctx, {
      modelVersion: modelVersionId
        ? { id: parseNodeId(modelVersionId, "ModelVersion", "modelVersionId"), shownAs: modelVersionId }
        : null,
      deployment: deploymentId ? { id: parseNodeId(deploymentId, "Deployment", "deploymentId"), shownAs: deploymentId } : null,
    });
    return Export.from(row);
  }

  @Authorized("AUDITOR")
  @Query(() => ExportConnection, { description: "Compliance exports, newest first." })
  async exports(@Args(() => ExportListArgs) args: ExportListArgs, @Ctx() ctx: RequestContext) {
    const { page, count } = await ctx.services.exports.list(
      {
        kind: args.kind ?? undefined,
        status: args.status ?? undefined,
        namespaceIds: ctx.access.namespacesGranting(["AUDITOR"]),
      },
      { first: args.first, after: args.after },
    );
    return toConnection(page, Export.from, count);
  }

  @Authorized("AUDITOR")
  @Query(() => Export, { name: "export", nullable: true, description: "A compliance export by id." })
  async exportById(@Arg("id", () => ID) id: string, @Ctx() ctx: RequestContext) {
    const row = await ctx.services.exports.findById(parseNodeId(id, "Export", "id"));
    // Another namespace's export, or one of everything for a namespace-bound auditor: not theirs to see.
    const namespaceId = typeof row?.filter.namespaceId === "string" ? row.filter.namespaceId : null;
    return row && ctx.access.can(["AUDITOR"], namespaceId) ? Export.from(row) : null;
  }
}
