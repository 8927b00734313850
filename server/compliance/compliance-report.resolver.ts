import { Arg, Authorized, Ctx, ID, Query, Resolver } from "type-graphql";
import { InputInvalidError } from "../errors/common-errors.js";
import type { RequestContext } from "../graphql/context.js";
import { parseNodeId } from "../graphql/node-id.js";
import { JSONObject, type JsonObject } from "../graphql/scalars.js";
import type { ComplianceReportTarget } from "./compliance-report.js";

@Resolver()
export class ComplianceReportResolver {
  @Authorized("AUDITOR")
  @Query(() => JSONObject, {
    description:
      "The model compliance report of a model version or a deployment, as JSON (schemaVersion 1): subject, provenance, metrics, approvals (derived from the audit trail), deployment history with traffic shares, alerts and drift reports, the audit events of every node involved with the chain verification of their range, and a `digest` (sha256 of the RFC 8785 canonical JSON of the rest). Give exactly one id.",
  })
  async modelComplianceReport(
    @Ctx() ctx: RequestContext,
    @Arg("modelVersionId", () => ID, { nullable: true }) modelVersionId?: string | null,
    @Arg("deploymentId", () => ID, { nullable: true }) deploymentId?: string | null,
  ): Promise<JsonObject> {
    // The report follows provenance into any namespace: a namespace-bound auditor would see beyond it.
    ctx.services.access.requireGlobal(ctx.access, ["AUDITOR"], "query modelComplianceReport");
    const hasModelVersion = modelVersionId !== undefined && modelVersionId !== null;
    const hasDeployment = deploymentId !== undefined && deploymentId !== null;
    if (hasModelVersion && hasDeployment) {
      throw new InputInvalidError("deploymentId", "must not be given together with modelVersionId: give exactly one of them.");
    }
    if (!hasModelVersion && !hasDeployment) {
      throw new InputInvalidError("modelVersionId", "or deploymentId is required: give exactly one of them.");
    }
    const target: ComplianceReportTarget = hasModelVersion
      ? { modelVersionId: parseNodeId(modelVersionId as string, "ModelVersion", "modelVersionId") }
      : { deploymentId: parseNodeId(deploymentId as string, "Deployment", "deploymentId") };
    return { ...(await ctx.services.complianceReports.build(target)) };
  }
}
