import { Field, Float, Int, ObjectType } from "type-graphql";
import { DateTime, JSONObject } from "../graphql/scalars.js";
import { QueueJob } from "../queue/queue-job.type.js";
import { Run } from "../run/run.type.js";
import { SweepGoal, SweepStrategy } from "./sweep.inputs.js";
import type { SweepRecord, SweepTrialRecord } from "./sweep.repository.js";

@ObjectType({ description: "One trial of a sweep: a point of the search space, trained as a child run." })
export class SweepTrial {
  jobKey!: string;
  runKey!: string | null;

  @Field(() => Int, { description: "1-based, in the order the trials were planned." })
  index!: number;

  @Field(() => JSONObject, { description: "The trial's values: hyperparameter path → value." })
  params!: Record<string, unknown>;

  @Field(() => String, { nullable: true, description: "COMPLETED or FAILED once the sweep has ended; null before." })
  status!: string | null;

  @Field(() => Float, {
    nullable: true,
    description: "The trial's value of the sweep's metric (its model version's validation metric).",
  })
  metric!: number | null;

  @Field(() => String, { nullable: true, description: "Why the trial failed (or produced no value of the metric)." })
  error!: string | null;

  static from(record: SweepTrialRecord): SweepTrial {
    return Object.assign(new SweepTrial(), {
      index: record.index,
      params: record.params,
      jobKey: record.jobId,
      runKey: record.runId ?? null,
      status: record.status ?? null,
      metric: record.metric ?? null,
      error: record.error ?? null,
    });
  }
}

@ObjectType({ description: "A hyperparameter sweep: the search a parent run ran over its child runs, and its best child." })
export class Sweep {
  runKey!: string;
  jobKey!: string;
  bestChildKey!: string | null;

  @Field(() => SweepStrategy)
  strategy!: SweepStrategy;

  @Field(() => String, { description: "The validation metric the trials are ranked by." })
  metric!: string;

  @Field(() => SweepGoal)
  goal!: SweepGoal;

  @Field(() => Int, { description: "Most trials training at once." })
  maxParallel!: number;

  @Field(() => [JSONObject], {
    description: "The declared search space: { name, values } or { name, min, max, scale, integer }.",
  })
  parameters!: Record<string, unknown>[];

  @Field(() => Int)
  trialCount!: number;

  @Field(() => Int, { description: "Trials that registered a model version (counted when the sweep ends)." })
  completedTrials!: number;

  @Field(() => Int, { description: "Trials that failed (counted when the sweep ends); they do not fail the sweep." })
  failedTrials!: number;

  @Field(() => Float, { nullable: true, description: "The best child's value of the metric." })
  bestMetric!: number | null;

  @Field(() => JSONObject, { nullable: true, description: "The best child's trial values." })
  bestParams!: Record<string, unknown> | null;

  @Field(() => [SweepTrial])
  trials!: SweepTrial[];

  @Field(() => DateTime)
  createdAt!: Date;

  @Field(() => DateTime, { nullable: true, description: "When the best child was named (null while trials run)." })
  finishedAt!: Date | null;

  static from(record: SweepRecord): Sweep {
    return Object.assign(new Sweep(), {
      runKey: record.runId,
      jobKey: record.jobRecordId,
      bestChildKey: record.bestChildRunId,
      strategy: record.strategy as SweepStrategy,
      metric: record.metric,
      goal: record.goal as SweepGoal,
      maxParallel: record.maxParallel,
      parameters: record.space as unknown as Record<string, unknown>[],
      trialCount: record.trialCount,
      completedTrials: record.completedTrials,
      failedTrials: record.failedTrials,
      bestMetric: record.bestMetric,
      bestParams: record.bestParams,
      trials: record.trials.map(SweepTrial.from),
      createdAt: record.createdAt,
      finishedAt: record.finishedAt,
    });
  }
}

@ObjectType()
export class StartSweepPayload {
  @Field(() => QueueJob, {
    description: "The sweep's job: progress is trials ended / total; it completes once the best child is named.",
  })
  job!: QueueJob;

  @Field(() => Run, { description: "The parent run; its children are the trials' runs." })
  run!: Run;

  @Field(() => Sweep)
  sweep!: Sweep;
}
