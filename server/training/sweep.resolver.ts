import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../graphql/context.js";
import { requireJsonWithin } from "../lib/json-limit.js";
import { QueueJob } from "../queue/queue-job.type.js";
import { Run } from "../run/run.type.js";
import { StartSweepInput } from "./sweep.inputs.js";
import { StartSweepPayload, Sweep, SweepTrial } from "./sweep.type.js";
import { trainingCommandOf } from "./training.resolver.js";

async function runOf(ctx: RequestContext, key: string | null): Promise<Run | null> {
  if (!key) return null;
  const row = await ctx.loaders.runById.load(key);
  return row ? Run.from(row) : null;
}

@Resolver(() => Sweep)
export class SweepResolver {
  @Authorized("EDITOR")
  @Mutation(() => StartSweepPayload, {
    description:
      "Starts a hyperparameter sweep: a parent run whose trials (grid or random search) train as child runs, at most maxParallel at once, each registering a model version; when all have ended the parent names the best child by the metric. A bad search space (empty, too many trials, an unknown hyperparameter, a bad range) is BAD_USER_INPUT and writes nothing; SERVICE_UNAVAILABLE when the queue is down.",
  })
  async startSweep(
    @Arg("input", () => StartSweepInput) input: StartSweepInput,
    @Ctx() ctx: RequestContext,
  ): Promise<StartSweepPayload> {
    requireJsonWithin(input.parameters, "input.parameters");
    const { job, run, sweep } = await ctx.services.sweeps.start(ctx, {
      training: trainingCommandOf(input),
      strategy: input.strategy,
      parameters: input.parameters.map((parameter) => ({ ...parameter })),
      trials: input.trials ?? null,
      searchSeed: input.searchSeed ?? input.seed,
      maxParallel: input.maxParallel,
      metric: input.metric,
      goal: input.goal ?? null,
    });
    return { job: QueueJob.from(job), run: Run.from(run), sweep: Sweep.from(sweep) };
  }

  @FieldResolver(() => Run, {
    nullable: true,
    description: "The child run with the best value of the metric (null while trials run, or if all failed).",
  })
  bestChild(@Root() sweep: Sweep, @Ctx() ctx: RequestContext): Promise<Run | null> {
    return runOf(ctx, sweep.bestChildKey);
  }

  @FieldResolver(() => Run, { description: "The parent run." })
  async run(@Root() sweep: Sweep, @Ctx() ctx: RequestContext): Promise<Run> {
    return (await runOf(ctx, sweep.runKey))!;
  }

  @FieldResolver(() => QueueJob, { nullable: true, description: "The sweep's job (progress: trials ended / total)." })
  async job(@Root() sweep: Sweep, @Ctx() ctx: RequestContext): Promise<QueueJob | null> {
    const row = await ctx.loaders.queueJobById.load(sweep.jobKey);
    return row ? QueueJob.from(row) : null;
  }
}

@Resolver(() => SweepTrial)
export class SweepTrialResolver {
  @FieldResolver(() => Run, { nullable: true, description: "The trial's run (null until its job has started)." })
  async run(@Root() trial: SweepTrial, @Ctx() ctx: RequestContext): Promise<Run | null> {
    if (trial.runKey) return runOf(ctx, trial.runKey);
    const row = await ctx.services.training.runOfJob(trial.jobKey);
    return row ? Run.from(row) : null;
  }

  @FieldResolver(() => QueueJob, { nullable: true, description: "The trial's train-model job." })
  async job(@Root() trial: SweepTrial, @Ctx() ctx: RequestContext): Promise<QueueJob | null> {
    const row = await ctx.loaders.queueJobById.load(trial.jobKey);
    return row ? QueueJob.from(row) : null;
  }
}

@Resolver(() => Run)
export class RunSweepResolver {
  @FieldResolver(() => Sweep, { nullable: true, description: "The sweep this run is the parent of (null for other runs)." })
  async sweep(@Root() run: Run, @Ctx() ctx: RequestContext): Promise<Sweep | null> {
    const [record] = await ctx.services.sweeps.findByRunIds([run.key]);
    return record ? Sweep.from(record) : null;
  }

  @FieldResolver(() => Run, {
    nullable: true,
    description: "Of a sweep's parent run: the child run with the best value of the sweep's metric (null for other runs).",
  })
  async bestChild(@Root() run: Run, @Ctx() ctx: RequestContext): Promise<Run | null> {
    const [record] = await ctx.services.sweeps.findByRunIds([run.key]);
    return runOf(ctx, record?.bestChildRunId ?? null);
  }
}
