import { Field, ObjectType } from "type-graphql";
import { QueueJob } from "../queue/queue-job.type.js";
import { Run } from "../run/run.type.js";

@ObjectType()
export class StartTrainingPayload {
  @Field(() => QueueJob, {
    description: "The queued training job: poll queueJob(id) for progress; its result names the run and model version.",
  })
  job!: QueueJob;

  @Field(() => Run, {
    nullable: true,
    description: "The training run, once a worker has started it (usually null here: the run starts when the job does).",
  })
  run!: Run | null;
}
