import { Arg, Args, Authorized, Ctx, Field, FieldResolver, Mutation, ObjectType, Query, Resolver, Root } from "type-graphql";
import { ConnectionType, toConnection } from "../graphql/connection.js";
import type { RequestContext } from "../graphql/context.js";
import { parseNodeId } from "../graphql/node-id.js";
import { PageArgs } from "../graphql/page-args.js";
import { Namespace } from "../namespace/namespace.type.js";
import {
  JobFilterInput,
  JobOrder,
  JobOrderField,
  RegisterJobInput,
  RunOrder,
  RunOrderField,
  UpdateJobInput,
} from "./run.inputs.js";
import { Job, Run } from "./run.type.js";

export const JobConnection = ConnectionType(Job, "Job");
export const RunConnection = ConnectionType(Run, "Run");

@ObjectType()
class RegisterJobPayload {
  @Field(() => Job)
  job!: Job;

  @Field(() => Boolean)
  created!: boolean;
}

@Resolver(() => Job)
export class JobResolver {
  @Authorized("VIEWER")
  @Query(() => JobConnection)
  async jobs(
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: RequestContext,
    @Arg("filter", () => JobFilterInput, { nullable: true }) filter?: JobFilterInput,
    @Arg("orderBy", () => JobOrder, { nullable: true }) orderBy?: JobOrder,
  ) {
    const { page: result, count } = await ctx.services.jobs.list(
      {
        namespace: filter?.namespace ?? undefined,
        nameContains: filter?.nameContains ?? undefined,
        jobType: filter?.jobType ?? undefined,
        visibleNamespaceIds: ctx.access.visibleNamespaceIds(),
      },
      page,
      orderBy?.field ?? JobOrderField.NAME,
      orderBy?.direction ?? "asc",
    );
    return toConnection(result, Job.from, count);
  }

  @Authorized("VIEWER")
  @Query(() => Job, {
    nullable: true,
    description: "A job by namespace and name (an OpenLineage job's namespace and name); null when unknown.",
  })
  async job(
    @Arg("namespace", () => String) namespace: string,
    @Arg("name", () => String) name: string,
    @Ctx() ctx: RequestContext,
  ) {
    const row = await ctx.services.runLookup.findJob(namespace, name);
    return row ? Job.from(row) : null;
  }

  @FieldResolver(() => Namespace)
  async namespace(@Root() job: Job, @Ctx() ctx: RequestContext) {
    return Namespace.from((await ctx.loaders.namespaceById.load(job.namespaceKey))!);
  }

  @FieldResolver(() => RunConnection)
  async runs(
    @Root() job: Job,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: RequestContext,
    @Arg("orderBy", () => RunOrder, { nullable: true }) orderBy?: RunOrder,
  ) {
    const field = orderBy?.field ?? RunOrderField.CREATED_AT;
    const direction = orderBy?.direction ?? "desc";
    // First pages of every job of the tick come in one batch; later pages page inside this job.
    const result = page.after
      ? (await ctx.services.runs.list({ jobId: job.key }, page, field, direction)).page
      : await ctx.loaders.runPagesByJob.firstPage(job.key, page, field, direction);
    return toConnection(result, Run.from, () => ctx.loaders.runPagesByJob.count(job.key));
  }

  @Authorized("EDITOR")
  @Mutation(() => RegisterJobPayload)
  async registerJob(@Arg("input", () => RegisterJobInput) input: RegisterJobInput, @Ctx() ctx: RequestContext) {
    const { job, created } = await ctx.services.jobs.register(ctx, input);
    return { job: Job.from(job), created };
  }

  @Authorized("EDITOR")
  @Mutation(() => Job)
  async updateJob(@Arg("input", () => UpdateJobInput) input: UpdateJobInput, @Ctx() ctx: RequestContext) {
    const id = parseNodeId(input.id, "Job", "input.id");
    return Job.from(await ctx.services.jobs.update(ctx, id, { jobType: input.jobType, description: input.description }));
  }
}
