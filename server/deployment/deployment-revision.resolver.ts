import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../graphql/context.js";
import { parseNodeId } from "../graphql/node-id.js";
import { ModelVersion } from "../model/model.type.js";
import { DeploymentRevisionModelVersionMissingError } from "./deployment.errors.js";
import { SetDeploymentTrafficInput, shareCommandsOf } from "./deployment.inputs.js";
import { Deployment, DeploymentRevision, TrafficShare } from "./deployment.type.js";

@Resolver(() => DeploymentRevision)
export class DeploymentRevisionResolver {
  @FieldResolver(() => Deployment)
  async deployment(@Root() revision: DeploymentRevision, @Ctx() ctx: RequestContext) {
    return Deployment.from((await ctx.loaders.deploymentById.load(revision.deploymentKey))!);
  }

  @FieldResolver(() => [TrafficShare])
  async trafficSplit(@Root() revision: DeploymentRevision, @Ctx() ctx: RequestContext): Promise<TrafficShare[]> {
    const versions = await ctx.loaders.modelVersionById.loadMany(revision.shares.map((share) => share.modelVersionId));
    return revision.shares.map((share, index) => {
      const version = versions[index];
      if (version instanceof Error) throw version;
      if (!version) throw new DeploymentRevisionModelVersionMissingError(revision.revision, share.modelVersionId);
      return { modelVersion: ModelVersion.from(version), percent: share.percent };
    });
  }

  @Authorized("DEPLOYER")
  @Mutation(() => DeploymentRevision, {
    description: "Sets a deployment's traffic split as a new revision; lineage records which versions serve from now on.",
  })
  async setDeploymentTraffic(
    @Arg("input", () => SetDeploymentTrafficInput) input: SetDeploymentTrafficInput,
    @Ctx() ctx: RequestContext,
  ) {
    const deploymentId = parseNodeId(input.deploymentId, "Deployment", "input.deploymentId");
    const revision = await ctx.services.deployments.setTraffic(
      ctx,
      deploymentId,
      input.deploymentId,
      shareCommandsOf(input.trafficSplit),
      input.reason ?? null,
    );
    return DeploymentRevision.from(revision);
  }
}
