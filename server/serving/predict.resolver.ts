import { Arg, Authorized, Ctx, FieldResolver, Int, Mutation, Resolver, Root } from "type-graphql";
import { Deployment } from "../deployment/deployment.type.js";
import type { RequestContext } from "../graphql/context.js";
import { ModelVersion } from "../model/model.type.js";
import { PredictInput } from "./predict.inputs.js";
import { ModelVersionServingStats, PredictPayload } from "./predict.type.js";

@Resolver()
export class PredictResolver {
  @Authorized("VIEWER")
  @Mutation(() => PredictPayload, {
    description:
      "Scores rows with the model version the deployment's traffic split picks (REST: POST /v1/deployments/{name}/predict).",
  })
  async predict(@Arg("input", () => PredictInput) input: PredictInput, @Ctx() ctx: RequestContext) {
    const result = await ctx.services.prediction.predict({
      namespace: input.namespace,
      deployment: input.deployment,
      payload: { rows: input.rows, columns: input.columns },
      routingKey: input.routingKey,
      fieldPrefix: "input.",
      explain: input.explain,
    });
    return PredictPayload.from(result);
  }
}

@Resolver(() => Deployment)
export class DeploymentServingStatsResolver {
  @FieldResolver(() => [ModelVersionServingStats], {
    description:
      "Requests, errors and latency per model version over the last `windowSeconds` (10-second granularity, about 1 s behind).",
  })
  async servingStats(
    @Root() deployment: Deployment,
    @Ctx() ctx: RequestContext,
    @Arg("windowSeconds", () => Int, { defaultValue: 300 }) windowSeconds: number,
  ) {
    const stats = await ctx.services.prediction.servingStats(deployment.key, windowSeconds, "windowSeconds");
    return stats.map(({ modelVersionId, ...rest }) =>
      Object.assign(new ModelVersionServingStats(), { ...rest, modelVersionKey: modelVersionId }),
    );
  }
}

@Resolver(() => ModelVersionServingStats)
export class ModelVersionServingStatsResolver {
  @FieldResolver(() => ModelVersion, { nullable: true, description: "Null when the stats name a version no longer registered." })
  async modelVersion(@Root() stats: ModelVersionServingStats, @Ctx() ctx: RequestContext) {
    const row = await ctx.loaders.modelVersionById.load(stats.modelVersionKey);
    return row ? ModelVersion.from(row) : null;
  }
}
