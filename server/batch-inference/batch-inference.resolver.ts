import { IsOptional, MaxLength } from "class-validator";
import { Arg, Authorized, Ctx, Field, ID, InputType, Mutation, ObjectType, Resolver } from "type-graphql";
import type { RequestContext } from "../graphql/context.js";
import { parseNodeId } from "../graphql/node-id.js";
import { QueueJob } from "../queue/queue-job.type.js";

@InputType()
export class StartBatchInferenceInput {
  @Field(() => ID, { nullable: true, description: "Score with the version that serves the largest share of this deployment…" })
  @IsOptional()
  deploymentId?: string | null;

  @Field(() => ID, { nullable: true, description: "…or with this READY model version (give exactly one)." })
  @IsOptional()
  modelVersionId?: string | null;

  @Field(() => ID, {
    description: "A registered CSV or Parquet dataset version (local file) holding the model's feature columns.",
  })
  datasetVersionId!: string;

  @Field(() => String, {
    nullable: true,
    description: "Local .csv or .parquet file to write; default <artifact dir>/batch-inference/<job id>.parquet.",
  })
  @IsOptional()
  @MaxLength(2_000)
  outputUri?: string | null;
}

@ObjectType()
class StartBatchInferencePayload {
  @Field(() => QueueJob, { description: "The batch-inference job; its result names the run and the scored dataset version." })
  job!: QueueJob;
}

@Resolver()
export class BatchInferenceResolver {
  @Authorized("EDITOR")
  @Mutation(() => StartBatchInferencePayload, {
    description:
      "Queues a job that scores a dataset version with a model version into a new dataset version, with lineage " +
      "(dataset version ➜ run, model version ➜ run, run ➜ scored dataset version).",
  })
  async startBatchInference(
    @Arg("input", () => StartBatchInferenceInput) input: StartBatchInferenceInput,
    @Ctx() ctx: RequestContext,
  ) {
    const job = await ctx.services.batchInference.start(ctx, {
      deployment: input.deploymentId
        ? { id: parseNodeId(input.deploymentId, "Deployment", "input.deploymentId"), shownAs: input.deploymentId }
        : null,
      modelVersion: input.modelVersionId
        ? { id: parseNodeId(input.modelVersionId, "ModelVersion", "input.modelVersionId"), shownAs: input.modelVersionId }
        : null,
      datasetVersion: {
        id: parseNodeId(input.datasetVersionId, "DatasetVersion", "input.datasetVersionId"),
        shownAs: input.datasetVersionId,
      },
      outputUri: input.outputUri ?? null,
    });
    return { job: QueueJob.from(job) };
  }
}
