import { Arg, Args, Authorized, Ctx, Field, FieldResolver, Mutation, ObjectType, Query, Resolver, Root } from "type-graphql";
import { DatasetVersion } from "../dataset/dataset.type.js";
import { toConnection } from "../graphql/connection.js";
import type { RequestContext } from "../graphql/context.js";
import { parseNodeId } from "../graphql/node-id.js";
import { PageArgs } from "../graphql/page-args.js";
import { FeatureSet } from "./feature-set.type.js";
import {
  FeatureFilterInput,
  FeatureOrder,
  FeatureOrderField,
  RegisterFeatureInput,
  UpdateFeatureInput,
} from "./feature.inputs.js";
import { Feature, FeatureConnection } from "./feature.type.js";

@ObjectType()
class RegisterFeaturePayload {
  @Field(() => Feature)
  feature!: Feature;

  @Field(() => Boolean, { description: "False when the feature already existed: it is returned with any new sources added." })
  created!: boolean;
}

@Resolver(() => Feature)
export class FeatureResolver {
  @Authorized("VIEWER")
  @Query(() => FeatureConnection)
  async features(
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: RequestContext,
    @Arg("filter", () => FeatureFilterInput, { nullable: true }) filter?: FeatureFilterInput,
    @Arg("orderBy", () => FeatureOrder, { nullable: true }) orderBy?: FeatureOrder,
  ) {
    const featureSetId = filter?.featureSetId ? parseNodeId(filter.featureSetId, "FeatureSet", "filter.featureSetId") : undefined;
    const { page: result, count } = await ctx.services.features.list(
      {
        featureSetId,
        namespace: filter?.namespace ?? undefined,
        nameContains: filter?.nameContains ?? undefined,
        dtype: filter?.dtype ?? undefined,
        visibleNamespaceIds: ctx.access.visibleNamespaceIds(),
      },
      page,
      orderBy?.field ?? FeatureOrderField.NAME,
      orderBy?.direction ?? "asc",
    );
    return toConnection(result, Feature.from, count);
  }

  @FieldResolver(() => FeatureSet)
  async featureSet(@Root() feature: Feature, @Ctx() ctx: RequestContext) {
    return FeatureSet.from((await ctx.loaders.featureSetById.load(feature.featureSetKey))!);
  }

  @FieldResolver(() => [DatasetVersion], {
    description: "The dataset versions this feature is currently computed from (SOURCE_OF).",
  })
  async sources(@Root() feature: Feature, @Ctx() ctx: RequestContext) {
    const edges = await ctx.loaders.featureSourceEdges.load(feature.key);
    const rows = await Promise.all(edges.map((edge) => ctx.loaders.datasetVersionById.load(edge.upstream.id)));
    return rows.flatMap((row) => (row ? [DatasetVersion.from(row)] : []));
  }

  @Authorized("EDITOR")
  @Mutation(() => RegisterFeaturePayload)
  async registerFeature(@Arg("input", () => RegisterFeatureInput) input: RegisterFeatureInput, @Ctx() ctx: RequestContext) {
    const featureSet = { id: parseNodeId(input.featureSetId, "FeatureSet", "input.featureSetId"), shownAs: input.featureSetId };
    const sources = input.sourceDatasetVersionIds.map((shownAs, index) => {
      const field = `input.sourceDatasetVersionIds[${index}]`;
      return { id: parseNodeId(shownAs, "DatasetVersion", field), shownAs, field };
    });
    const { feature, created } = await ctx.services.features.register(ctx, {
      featureSet,
      name: input.name,
      dtype: input.dtype,
      description: input.description ?? null,
      transformationRef: input.transformationRef ?? null,
      sources,
    });
    return { feature: Feature.from(feature), created };
  }

  @Authorized("EDITOR")
  @Mutation(() => Feature)
  async updateFeature(@Arg("input", () => UpdateFeatureInput) input: UpdateFeatureInput, @Ctx() ctx: RequestContext) {
    const id = parseNodeId(input.id, "Feature", "input.id");
    const feature = await ctx.services.features.update(ctx, id, {
      description: input.description,
      dtype: input.dtype ?? undefined,
      transformationRef: input.transformationRef,
    });
    return Feature.from(feature);
  }
}
