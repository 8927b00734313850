import type DataLoader from "dataloader";
import { Arg, Args, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import { childrenLoader } from "../graphql/by-key-loader.js";
import { toConnection } from "../graphql/connection.js";
import { ConnectionType } from "../graphql/connection.js";
import type { RequestContext } from "../graphql/context.js";
import { parseNodeId } from "../graphql/node-id.js";
import { PageArgs } from "../graphql/page-args.js";
import { paginateInMemory } from "../lib/paginate.js";
import { ModelVersion } from "../model/model.type.js";
import { QueueJob } from "../queue/queue-job.type.js";
import { Deployment, DeploymentRevision } from "./deployment.type.js";
import type { RolloutRecord } from "./rollout.repository.js";
import type { RolloutChange } from "./rollout.service.js";
import { PromoteRolloutInput, RollbackRolloutInput, StartRolloutInput } from "./rollout.inputs.js";
import { Rollout, RolloutPayload } from "./rollout.type.js";

const RolloutConnection = ConnectionType(Rollout, "Rollout");

// One loader per request (the context object lives for one request).
const rolloutLoaders = new WeakMap<RequestContext, DataLoader<string, RolloutRecord[]>>();
function rolloutsOf(ctx: RequestContext): DataLoader<string, RolloutRecord[]> {
  let loader = rolloutLoaders.get(ctx);
  if (!loader) {
    loader = childrenLoader(
      (ids) => ctx.services.rollouts.listByDeploymentIds(ids),
      (row) => row.deploymentId,
    );
    rolloutLoaders.set(ctx, loader);
  }
  return loader;
}

function payloadOf(change: RolloutChange, job: QueueJob | null = null): RolloutPayload {
  return Object.assign(new RolloutPayload(), {
    rollout: Rollout.from(change.rollout),
    revision: change.revision ? DeploymentRevision.from(change.revision) : null,
    job,
  });
}

@Resolver(() => Rollout)
export class RolloutResolver {
  @FieldResolver(() => Deployment)
  async deployment(@Root() rollout: Rollout, @Ctx() ctx: RequestContext) {
    return Deployment.from((await ctx.loaders.deploymentById.load(rollout.deploymentKey))!);
  }

  @FieldResolver(() => ModelVersion)
  async canaryModelVersion(@Root() rollout: Rollout, @Ctx() ctx: RequestContext) {
    return ModelVersion.from((await ctx.loaders.modelVersionById.load(rollout.canaryModelVersionKey))!);
  }

  @FieldResolver(() => ModelVersion, { nullable: true, description: "The version with the largest share before the rollout." })
  async baselineModelVersion(@Root() rollout: Rollout, @Ctx() ctx: RequestContext) {
    if (!rollout.baselineModelVersionKey) return null;
    const row = await ctx.loaders.modelVersionById.load(rollout.baselineModelVersionKey);
    return row ? ModelVersion.from(row) : null;
  }

  @FieldResolver(() => QueueJob, { nullable: true, description: "The health-check job." })
  async checkJob(@Root() rollout: Rollout, @Ctx() ctx: RequestContext) {
    if (!rollout.checkJobKey) return null;
    const row = await ctx.loaders.queueJobById.load(rollout.checkJobKey);
    return row ? QueueJob.from(row) : null;
  }

  @Authorized("DEPLOYER")
  @Mutation(() => RolloutPayload, {
    description:
      "Starts a canary: the model version gets canaryPercent of the deployment's traffic (a new revision), and a job " +
      "promotes it when it stays healthy over the window or rolls it back when its error rate or p99 is over the limit.",
  })
  async rollout(@Arg("input", () => StartRolloutInput) input: StartRolloutInput, @Ctx() ctx: RequestContext) {
    const change = await ctx.services.rollouts.start(ctx, {
      deployment: { id: parseNodeId(input.deploymentId, "Deployment", "input.deploymentId"), shownAs: input.deploymentId },
      modelVersion: {
        id: parseNodeId(input.modelVersionId, "ModelVersion", "input.modelVersionId"),
        shownAs: input.modelVersionId,
      },
      canaryPercent: input.canaryPercent,
      windowSeconds: input.windowSeconds ?? undefined,
      maxP99Ms: input.maxP99Ms ?? undefined,
      maxErrorRate: input.maxErrorRate ?? undefined,
      minRequests: input.minRequests ?? undefined,
      reason: input.reason ?? null,
    });
    return payloadOf(change, QueueJob.from(change.job));
  }

  @Authorized("DEPLOYER")
  @Mutation(() => RolloutPayload, { description: "Moves all traffic to the canary of the rollout in progress (a new revision)." })
  async promote(@Arg("input", () => PromoteRolloutInput) input: PromoteRolloutInput, @Ctx() ctx: RequestContext) {
    const deployment = { id: parseNodeId(input.deploymentId, "Deployment", "input.deploymentId"), shownAs: input.deploymentId };
    return payloadOf(await ctx.services.rollouts.promote(ctx, deployment, input.reason ?? null));
  }

  @Authorized("DEPLOYER")
  @Mutation(() => RolloutPayload, {
    description: "Restores the split that served before the rollout in progress (a new revision with the reason).",
  })
  async rollback(@Arg("input", () => RollbackRolloutInput) input: RollbackRolloutInput, @Ctx() ctx: RequestContext) {
    const deployment = { id: parseNodeId(input.deploymentId, "Deployment", "input.deploymentId"), shownAs: input.deploymentId };
    return payloadOf(await ctx.services.rollouts.rollback(ctx, deployment, input.reason));
  }
}

@Resolver(() => Deployment)
export class DeploymentRolloutsResolver {
  @FieldResolver(() => Rollout, { nullable: true, description: "The canary rollout in progress, if any." })
  async activeRollout(@Root() deployment: Deployment, @Ctx() ctx: RequestContext) {
    const rows = await rolloutsOf(ctx).load(deployment.key);
    const active = rows.find((row) => row.state === "CANARY");
    return active ? Rollout.from(active) : null;
  }

  @FieldResolver(() => RolloutConnection, { description: "Rollouts, newest first." })
  async rollouts(@Root() deployment: Deployment, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: RequestContext) {
    const rows = await rolloutsOf(ctx).load(deployment.key);
    return toConnection(paginateInMemory(rows, page, "startedAt", "desc"), Rollout.from, async () => rows.length);
  }
}
