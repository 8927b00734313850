import { Max, Min } from "class-validator";
import {
  Arg,
  Args,
  ArgsType,
  Authorized,
  Ctx,
  Field,
  FieldResolver,
  Int,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  Root,
} from "type-graphql";
import { DatasetVersion } from "../dataset/dataset.type.js";
import { toConnection } from "../graphql/connection.js";
import type { RequestContext } from "../graphql/context.js";
import { parseNodeId } from "../graphql/node-id.js";
import { PageArgs } from "../graphql/page-args.js";
import { requireJsonWithin } from "../lib/json-limit.js";
import { RunConnection } from "./job.resolver.js";
import { optionalReference, runReference } from "./run-references.js";
import { LogMetricsInput, RunFilterInput, RunOrder, RunOrderField, StartRunInput, UpdateRunInput } from "./run.inputs.js";
import { Job, MetricSeries, Run, RunInput } from "./run.type.js";
import type { ValuePredicate } from "./run-record.js";
import type { ValuePredicateInput } from "./run.inputs.js";

const ROLE_ORDER = ["TRAIN", "VALIDATION", "TEST", "OTHER"];

@ObjectType()
class StartRunPayload {
  @Field(() => Run)
  run!: Run;

  @Field(() => Boolean, { description: "False when a run with this externalId already existed." })
  created!: boolean;
}

@ObjectType()
class LogMetricsPayload {
  @Field(() => Int)
  accepted!: number;

  @Field(() => Run)
  run!: Run;
}

@ArgsType()
class MetricSeriesArgs {
  @Field(() => [String], { nullable: true, description: "Only these keys (all when omitted)." })
  keys?: string[] | null;

  @Field(() => Int, { defaultValue: 1_000, description: "Latest points kept per key, 1–10,000." })
  @Min(1)
  @Max(10_000)
  lastPoints!: number;
}

function predicates(list: ValuePredicateInput[] | null | undefined): ValuePredicate[] | undefined {
  return list?.map((item) => ({
    key: item.key,
    eq: item.eq ?? undefined,
    gt: item.gt ?? undefined,
    gte: item.gte ?? undefined,
    lt: item.lt ?? undefined,
    lte: item.lte ?? undefined,
  }));
}

@Resolver(() => Run)
export class RunResolver {
  @Authorized("VIEWER")
  @Query(() => RunConnection, { description: "Runs, filterable by hyperparameter and latest metric values." })
  async runs(
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: RequestContext,
    @Arg("filter", () => RunFilterInput, { nullable: true }) filter?: RunFilterInput,
    @Arg("orderBy", () => RunOrder, { nullable: true }) orderBy?: RunOrder,
  ) {
    const { page: result, count } = await ctx.services.runs.list(
      {
        namespace: filter?.namespace ?? undefined,
        jobId: filter?.jobId ? parseNodeId(filter.jobId, "Job", "filter.jobId") : undefined,
        status: filter?.status ?? undefined,
        parentRunId: filter?.parentRunId ? parseNodeId(filter.parentRunId, "Run", "filter.parentRunId") : undefined,
        commitId: filter?.commitId ? parseNodeId(filter.commitId, "CodeCommit", "filter.commitId") : undefined,
        hyperparameters: predicates(filter?.hyperparameters),
        metrics: predicates(filter?.metrics),
        visibleNamespaceIds: ctx.access.visibleNamespaceIds(),
      },
      page,
      orderBy?.field ?? RunOrderField.CREATED_AT,
      orderBy?.direction ?? "desc",
    );
    return toConnection(result, Run.from, count);
  }

  @Authorized("VIEWER")
  @Query(() => Run, {
    nullable: true,
    description: "A run by the id its client gave it (`externalId`: an OpenLineage runId, a script's own id); null when unknown.",
  })
  async run(@Arg("externalId", () => String) externalId: string, @Ctx() ctx: RequestContext) {
    const row = await ctx.services.runLookup.findRunByExternalId(externalId);
    return row ? Run.from(row) : null;
  }

  @FieldResolver(() => Job)
  async job(@Root() run: Run, @Ctx() ctx: RequestContext) {
    return Job.from((await ctx.loaders.jobById.load(run.jobKey))!);
  }

  @FieldResolver(() => Run, { nullable: true, description: "The sweep this run belongs to." })
  async parent(@Root() run: Run, @Ctx() ctx: RequestContext) {
    if (!run.parentRunKey) return null;
    const row = await ctx.loaders.runById.load(run.parentRunKey);
    return row ? Run.from(row) : null;
  }

  @FieldResolver(() => RunConnection, { description: "Child runs (of a sweep)." })
  async children(@Root() run: Run, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: RequestContext) {
    // First pages of every run of the tick come in one batch; later pages page inside this sweep.
    const result = page.after
      ? (await ctx.services.runs.list({ parentRunId: run.key }, page, "createdAt", "asc")).page
      : await ctx.loaders.childRunPages.firstPage(run.key, page, "createdAt", "asc");
    return toConnection(result, Run.from, () => ctx.loaders.childRunPages.count(run.key));
  }

  @FieldResolver(() => [RunInput], { description: "The exact dataset versions this run read, with roles." })
  async inputs(@Root() run: Run, @Ctx() ctx: RequestContext): Promise<RunInput[]> {
    // Edges written together share a timestamp, so order by what the reader cares about: the role.
    const edges = [...(await ctx.loaders.inputEdgesByRunId.load(run.key))].sort(
      (a, b) => ROLE_ORDER.indexOf(a.role ?? "OTHER") - ROLE_ORDER.indexOf(b.role ?? "OTHER"),
    );
    const versions = await ctx.loaders.datasetVersionById.loadMany(edges.map((edge) => edge.upstream.id));
    return edges.flatMap((edge, index) => {
      const version = versions[index];
      return version && !(version instanceof Error)
        ? [{ role: (edge.role ?? "OTHER") as RunInput["role"], datasetVersion: DatasetVersion.from(version) }]
        : [];
    });
  }

  @FieldResolver(() => [DatasetVersion], { description: "Dataset versions this run wrote." })
  async outputs(@Root() run: Run, @Ctx() ctx: RequestContext): Promise<DatasetVersion[]> {
    const edges = await ctx.loaders.outputEdgesByRunId.load(run.key);
    const versions = await ctx.loaders.datasetVersionById.loadMany(
      edges.filter((edge) => edge.downstream.type === "DATASET_VERSION").map((edge) => edge.downstream.id),
    );
    return versions.flatMap((version) => (version && !(version instanceof Error) ? [DatasetVersion.from(version)] : []));
  }

  @FieldResolver(() => [MetricSeries], { description: "Metric time series, one per key, ordered by step." })
  async metrics(@Root() run: Run, @Args(() => MetricSeriesArgs) args: MetricSeriesArgs, @Ctx() ctx: RequestContext) {
    const points = await ctx.loaders.metricSeries(args.keys ?? [], args.lastPoints).load(run.key);
    const byKey = new Map<string, MetricSeries>();
    for (const point of points) {
      let series = byKey.get(point.key);
      if (!series) {
        series = { key: point.key, points: [] };
        byKey.set(point.key, series);
      }
      series.points.push({ step: point.step, value: point.value, timestamp: point.timestamp });
    }
    return [...byKey.values()];
  }

  @Authorized("EDITOR")
  @Mutation(() => StartRunPayload)
  async startRun(@Arg("input", () => StartRunInput) input: StartRunInput, @Ctx() ctx: RequestContext) {
    const hyperparameters = input.hyperparameters ?? {};
    requireJsonWithin(hyperparameters, "input.hyperparameters");
    const { run, created } = await ctx.services.runs.start(ctx, {
      job: { namespace: input.namespace, name: input.job, jobType: input.jobType },
      externalId: input.externalId ?? null,
      parent: optionalReference(input.parentRunId, "Run", "input.parentRunId"),
      commit: optionalReference(input.commitId, "CodeCommit", "input.commitId"),
      hyperparameters,
      inputs: input.inputs.map((item, index) => ({
        id: parseNodeId(item.datasetVersionId, "DatasetVersion", `input.inputs[${index}].datasetVersionId`),
        shownAs: item.datasetVersionId,
        role: item.role,
      })),
      features: input.featureIds.map((id, index) => ({
        id: parseNodeId(id, "Feature", `input.featureIds[${index}]`),
        shownAs: id,
      })),
      status: input.status,
      startedAt: input.startedAt ?? null,
      nominalTime: input.nominalTime ?? null,
    });
    return { run: Run.from(run), created };
  }

  @Authorized("EDITOR")
  @Mutation(() => Run, { description: "Changes a run's status (lifecycle enforced), error message or end time." })
  async updateRun(@Arg("input", () => UpdateRunInput) input: UpdateRunInput, @Ctx() ctx: RequestContext) {
    const run = await ctx.services.runs.update(ctx, runReference(input.id, "input.id"), {
      status: input.status ?? undefined,
      errorMessage: input.errorMessage,
      endedAt: input.endedAt,
    });
    return Run.from(run);
  }

  @Authorized("EDITOR")
  @Mutation(() => LogMetricsPayload, { description: "Appends up to 10,000 metric points to a run in one call." })
  async logMetrics(@Arg("input", () => LogMetricsInput) input: LogMetricsInput, @Ctx() ctx: RequestContext) {
    const { accepted, run } = await ctx.services.metrics.log(ctx, runReference(input.runId, "input.runId"), input.points);
    return { accepted, run: Run.from(run) };
  }
}
