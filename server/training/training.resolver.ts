import { Arg, Authorized, Ctx, Mutation, Resolver } from "type-graphql";
import type { RequestContext } from "../graphql/context.js";
import { parseNodeId } from "../graphql/node-id.js";
import { requireJsonWithin } from "../lib/json-limit.js";
import { QueueJob } from "../queue/queue-job.type.js";
import { Run } from "../run/run.type.js";
import { StartTrainingInput } from "./training.inputs.js";
import type { StartTrainingCommand } from "./training.service.js";
import { StartTrainingPayload } from "./training.type.js";

function reference(id: string, kind: "DatasetVersion" | "CodeCommit" | "Feature", field: string) {
  return { id: parseNodeId(id, kind, field), shownAs: id };
}

/** The training command of a startTraining (or startSweep) input: ids decoded, JSON size checked. */
export function trainingCommandOf(input: StartTrainingInput): StartTrainingCommand {
  const hyperparameters = input.hyperparameters ?? {};
  requireJsonWithin(hyperparameters, "input.hyperparameters");
  return {
    namespace: input.namespace,
    job: input.job ?? null,
    model: input.model,
    description: input.description ?? null,
    train: reference(input.trainDatasetVersionId, "DatasetVersion", "input.trainDatasetVersionId"),
    validation: input.validationDatasetVersionId
      ? reference(input.validationDatasetVersionId, "DatasetVersion", "input.validationDatasetVersionId")
      : null,
    featureColumns: input.featureColumns,
    target: input.target,
    algorithm: input.algorithm,
    hyperparameters,
    seed: input.seed,
    commit: input.commitId ? reference(input.commitId, "CodeCommit", "input.commitId") : null,
    features: input.featureIds.map((id, index) => reference(id, "Feature", `input.featureIds[${index}]`)),
  };
}

@Resolver()
export class TrainingResolver {
  @Authorized("EDITOR")
  @Mutation(() => StartTrainingPayload, {
    description:
      "Queues a training job: reads the dataset version's file, trains, exports ONNX and registers a model version with lineage. Checks ids, columns, format, location and hyperparameters first; SERVICE_UNAVAILABLE when the queue is down.",
  })
  async startTraining(
    @Arg("input", () => StartTrainingInput) input: StartTrainingInput,
    @Ctx() ctx: RequestContext,
  ): Promise<StartTrainingPayload> {
    const { job, run } = await ctx.services.training.start(ctx, trainingCommandOf(input));
    return { job: QueueJob.from(job), run: run ? Run.from(run) : null };
  }
}
