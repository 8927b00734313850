import { Arg, Args, Authorized, Ctx, Field, FieldResolver, Mutation, ObjectType, Query, Resolver, Root } from "type-graphql";
import { ConnectionType, toConnection } from "../graphql/connection.js";
import type { RequestContext } from "../graphql/context.js";
import { parseNodeId } from "../graphql/node-id.js";
import { PageArgs } from "../graphql/page-args.js";
import { DateTime } from "../graphql/scalars.js";
import { paginateInMemory } from "../lib/paginate.js";
import { Namespace } from "../namespace/namespace.type.js";
import {
  CreateDeploymentInput,
  DeploymentFilterInput,
  DeploymentOrder,
  DeploymentOrderField,
  UpdateDeploymentInput,
  shareCommandsOf,
} from "./deployment.inputs.js";
import { Deployment, DeploymentRevision, DeploymentRevisionConnection } from "./deployment.type.js";

const DeploymentConnection = ConnectionType(Deployment, "Deployment");

@ObjectType()
class CreateDeploymentPayload {
  @Field(() => Deployment)
  deployment!: Deployment;

  @Field(() => Boolean, { description: "False when the deployment already existed in this environment (returned unchanged)." })
  created!: boolean;
}

@Resolver(() => Deployment)
export class DeploymentResolver {
  @Authorized("VIEWER")
  @Query(() => DeploymentConnection)
  async deployments(
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: RequestContext,
    @Arg("filter", () => DeploymentFilterInput, { nullable: true }) filter?: DeploymentFilterInput,
    @Arg("orderBy", () => DeploymentOrder, { nullable: true }) orderBy?: DeploymentOrder,
  ) {
    const { page: result, count } = await ctx.services.deployments.list(
      {
        namespace: filter?.namespace ?? undefined,
        environment: filter?.environment ?? undefined,
        nameContains: filter?.nameContains ?? undefined,
        visibleNamespaceIds: ctx.access.visibleNamespaceIds(),
      },
      page,
      orderBy?.field ?? DeploymentOrderField.NAME,
      orderBy?.direction ?? "asc",
    );
    return toConnection(result, Deployment.from, count);
  }

  @Authorized("VIEWER")
  @Query(() => Deployment, { nullable: true })
  async deployment(
    @Arg("namespace", () => String) namespace: string,
    @Arg("name", () => String) name: string,
    @Ctx() ctx: RequestContext,
  ) {
    const row = await ctx.services.deployments.findByQualifiedName(namespace, name);
    return row ? Deployment.from(row) : null;
  }

  @FieldResolver(() => Namespace)
  async namespace(@Root() deployment: Deployment, @Ctx() ctx: RequestContext) {
    return Namespace.from((await ctx.loaders.namespaceById.load(deployment.namespaceKey))!);
  }

  @FieldResolver(() => DeploymentRevision, { nullable: true, description: "The revision serving now; null before the first." })
  async currentRevision(@Root() deployment: Deployment, @Ctx() ctx: RequestContext) {
    const [current] = await ctx.loaders.deploymentRevisionsByDeploymentId.load(deployment.key);
    return current ? DeploymentRevision.from(current) : null;
  }

  @FieldResolver(() => DeploymentRevisionConnection, { description: "Revisions, newest first." })
  async revisions(@Root() deployment: Deployment, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: RequestContext) {
    const rows = await ctx.loaders.deploymentRevisionsByDeploymentId.load(deployment.key);
    return toConnection(paginateInMemory(rows, page, "revision", "desc"), DeploymentRevision.from, async () => rows.length);
  }

  @FieldResolver(() => DeploymentRevision, {
    nullable: true,
    description: "The revision in force at `asOf`; null before the first.",
  })
  async servingAt(@Root() deployment: Deployment, @Arg("asOf", () => DateTime) asOf: Date, @Ctx() ctx: RequestContext) {
    const rows = await ctx.loaders.deploymentRevisionsByDeploymentId.load(deployment.key);
    const serving = rows.find((row) => row.createdAt.getTime() <= asOf.getTime());
    return serving ? DeploymentRevision.from(serving) : null;
  }

  @Authorized("DEPLOYER")
  @Mutation(() => CreateDeploymentPayload)
  async createDeployment(@Arg("input", () => CreateDeploymentInput) input: CreateDeploymentInput, @Ctx() ctx: RequestContext) {
    const { deployment, created } = await ctx.services.deployments.create(ctx, {
      namespace: input.namespace,
      name: input.name,
      environment: input.environment,
      description: input.description ?? null,
      trafficSplit: input.trafficSplit ? shareCommandsOf(input.trafficSplit) : undefined,
      reason: input.reason ?? null,
    });
    return { deployment: Deployment.from(deployment), created };
  }

  @Authorized("DEPLOYER")
  @Mutation(() => Deployment)
  async updateDeployment(@Arg("input", () => UpdateDeploymentInput) input: UpdateDeploymentInput, @Ctx() ctx: RequestContext) {
    const id = parseNodeId(input.id, "Deployment", "input.id");
    const row = await ctx.services.deployments.update(ctx, id, input.id, {
      description: input.description,
      environment: input.environment ?? undefined,
    });
    return Deployment.from(row);
  }
}
