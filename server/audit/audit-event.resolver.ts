import { Arg, Args, Authorized, Ctx, Query, Resolver } from "type-graphql";
import { NodeIdInvalidError } from "../errors/common-errors.js";
import { ConnectionType, toConnection } from "../graphql/connection.js";
import type { RequestContext } from "../graphql/context.js";
import { tryDecodeNodeId } from "../graphql/node-id.js";
import { PageArgs } from "../graphql/page-args.js";
import { DateTime } from "../graphql/scalars.js";
import { AuditChainVerification } from "./audit-chain.type.js";
import { AuditEventFilterInput, AuditEventOrder } from "./audit-event.inputs.js";
import { AuditEvent } from "./audit-event.type.js";

const AuditEventConnection = ConnectionType(AuditEvent, "AuditEvent");

@Resolver(() => AuditEvent)
export class AuditEventResolver {
  @Authorized("AUDITOR")
  @Query(() => AuditEventConnection, { description: "The audit trail, newest first by default." })
  async auditEvents(
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: RequestContext,
    @Arg("filter", () => AuditEventFilterInput, { nullable: true }) filter?: AuditEventFilterInput,
    @Arg("orderBy", () => AuditEventOrder, { nullable: true }) orderBy?: AuditEventOrder,
  ) {
    const target = filter?.targetId ? tryDecodeNodeId(filter.targetId) : undefined;
    if (filter?.targetId && !target) throw new NodeIdInvalidError("filter.targetId", filter.targetId);
    const { page: result, count } = await ctx.services.auditEvents.list(
      {
        targetType: target?.kind,
        targetId: target?.key,
        actor: filter?.actor ?? undefined,
        action: filter?.action ?? undefined,
        since: filter?.since ?? undefined,
        until: filter?.until ?? undefined,
        // The audit log of the namespaces where the caller is an AUDITOR, not all they may read.
        visibleNamespaceIds: ctx.access.namespacesGranting(["AUDITOR"]),
      },
      page,
      orderBy?.direction ?? "desc",
    );
    return toConnection(result, AuditEvent.from, count);
  }

  @Authorized("AUDITOR")
  @Query(() => AuditChainVerification, {
    description:
      "Recomputes the audit hash chain over the events that occurred in [from, to) (the whole chain by default) and reports the first broken link.",
  })
  async verifyAuditChain(
    @Ctx() ctx: RequestContext,
    @Arg("from", () => DateTime, { nullable: true, description: "Inclusive." }) from?: Date | null,
    @Arg("to", () => DateTime, { nullable: true, description: "Exclusive." }) to?: Date | null,
  ) {
    // The chain spans every namespace (its head, counts and broken links): a global AUDITOR's question.
    ctx.services.access.requireGlobal(ctx.access, ["AUDITOR"], "query verifyAuditChain");
    return AuditChainVerification.from(
      await ctx.services.auditEvents.verifyChain({ from: from ?? undefined, to: to ?? undefined }),
    );
  }
}
