import { Arg, Args, Authorized, Ctx, Query, Resolver } from "type-graphql";
import { InputInvalidError, NodeIdInvalidError } from "../errors/common-errors.js";
import { ConnectionType, toConnection } from "../graphql/connection.js";
import type { RequestContext } from "../graphql/context.js";
import { NODE_KINDS, type NodeKind, tryDecodeNodeId } from "../graphql/node-id.js";
import { PageArgs } from "../graphql/page-args.js";
import { DateTime } from "../graphql/scalars.js";
import { AuditChainVerification } from "./audit-chain.type.js";
import { AuditEventFilterInput, AuditEventOrder } from "./audit-event.inputs.js";
import { AuditEvent } from "./audit-event.type.js";

const AuditEventConnection = ConnectionType(AuditEvent, "AuditEvent");
const NO_NAMESPACE = "00000000-0000-0000-0000-000000000000";

function nodeKindOf(value: string): NodeKind {
  const kind = NODE_KINDS.find((candidate) => candidate === value);
  if (!kind) throw new InputInvalidError("filter.targetType", `must be a node kind: ${NODE_KINDS.join(", ")}.`);
  return kind;
}

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
    const targetType = target?.kind ?? (filter?.targetType ? nodeKindOf(filter.targetType) : undefined);
    // An unknown namespace has no events: a well-formed id of nothing keeps the answer empty.
    const namespaceId = filter?.namespace
      ? ((await ctx.services.access.namespaceIdsByName([filter.namespace])).get(filter.namespace) ?? NO_NAMESPACE)
      : undefined;
    const { page: result, count } = await ctx.services.auditEvents.list(
      {
        targetType,
        namespaceId,
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
