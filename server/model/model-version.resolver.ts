import { Arg, Args, Authorized, Ctx, Field, FieldResolver, ID, Mutation, ObjectType, Query, Resolver, Root } from "type-graphql";
import { toConnection } from "../graphql/connection.js";
import type { RequestContext } from "../graphql/context.js";
import { parseNodeId } from "../graphql/node-id.js";
import { PageArgs } from "../graphql/page-args.js";
import {
  ModelVersionFilterInput,
  ModelVersionOrder,
  ModelVersionOrderField,
  RegisterModelVersionInput,
  SetModelAliasInput,
  UpdateModelVersionInput,
} from "./model-version.inputs.js";
import { Run } from "../run/run.type.js";
import { featureImportanceOf } from "./feature-importance.js";
import { FeatureImportance, Model, ModelVersion, ModelVersionConnection } from "./model.type.js";

@ObjectType()
class RegisterModelVersionPayload {
  @Field(() => ModelVersion)
  modelVersion!: ModelVersion;

  @Field(() => Boolean, { description: "False when this artifact was already registered: the existing version is returned." })
  created!: boolean;
}

@ObjectType()
class SetModelAliasPayload {
  @Field(() => Model)
  model!: Model;

  @Field(() => String)
  alias!: string;

  @Field(() => ModelVersion, { description: "The version the alias now points at." })
  modelVersion!: ModelVersion;

  @Field(() => ModelVersion, { nullable: true, description: "The version the alias pointed at before; null when it is new." })
  previousModelVersion!: ModelVersion | null;

  @Field(() => Boolean, { description: "False when the alias already pointed at this version (nothing was written)." })
  changed!: boolean;
}

@Resolver(() => ModelVersion)
export class ModelVersionResolver {
  @Authorized("VIEWER")
  @Query(() => ModelVersionConnection)
  async modelVersions(
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: RequestContext,
    @Arg("filter", () => ModelVersionFilterInput, { nullable: true }) filter?: ModelVersionFilterInput,
    @Arg("orderBy", () => ModelVersionOrder, { nullable: true }) orderBy?: ModelVersionOrder,
  ) {
    const modelId = filter?.modelId ? parseNodeId(filter.modelId, "Model", "filter.modelId") : undefined;
    const { page: result, count } = await ctx.services.modelVersions.list(
      {
        modelId,
        alias: filter?.alias ?? undefined,
        artifactSha256: filter?.artifactSha256 ?? undefined,
        visibleNamespaceIds: ctx.access.visibleNamespaceIds(),
      },
      page,
      orderBy?.field ?? ModelVersionOrderField.CREATED_AT,
      orderBy?.direction ?? "desc",
    );
    return toConnection(result, ModelVersion.from, count);
  }

  @FieldResolver(() => Model)
  async model(@Root() version: ModelVersion, @Ctx() ctx: RequestContext) {
    return Model.from((await ctx.loaders.modelById.load(version.modelKey))!);
  }

  @FieldResolver(() => [String], { description: "Aliases of the model that point at this version." })
  async aliases(@Root() version: ModelVersion, @Ctx() ctx: RequestContext): Promise<string[]> {
    const aliases = await ctx.loaders.modelAliasesByModelId.load(version.modelKey);
    return aliases.filter((alias) => alias.modelVersionId === version.key).map((alias) => alias.alias);
  }

  @FieldResolver(() => Run, { nullable: true, description: "The run that produced the artifact." })
  async sourceRun(@Root() version: ModelVersion, @Ctx() ctx: RequestContext) {
    if (!version.sourceRunKey) return null;
    const row = await ctx.loaders.runById.load(version.sourceRunKey);
    return row ? Run.from(row) : null;
  }

  @FieldResolver(() => [FeatureImportance], {
    description:
      "Permutation feature importance computed at training (metrics `featureImportance.<column>`), most important first; empty when none was recorded.",
  })
  featureImportance(@Root() version: ModelVersion): FeatureImportance[] {
    return featureImportanceOf(version.metrics).map((entry) => Object.assign(new FeatureImportance(), entry));
  }

  @Authorized("EDITOR")
  @Mutation(() => RegisterModelVersionPayload)
  async registerModelVersion(
    @Arg("input", () => RegisterModelVersionInput) input: RegisterModelVersionInput,
    @Ctx() ctx: RequestContext,
  ) {
    const sourceRun = input.sourceRunId
      ? { runId: parseNodeId(input.sourceRunId, "Run", "input.sourceRunId"), shownAs: input.sourceRunId }
      : undefined;
    const { modelVersion, created } = await ctx.services.modelVersions.registerVersion(ctx, {
      namespace: input.namespace,
      model: input.model,
      artifactUri: input.artifactUri,
      artifactSha256: input.artifactSha256,
      signature: input.signature ?? {},
      metrics: input.metrics ?? {},
      description: input.description ?? null,
      sourceRun,
      aliases: input.aliases,
    });
    return { modelVersion: ModelVersion.from(modelVersion), created };
  }

  @Authorized("EDITOR")
  @Mutation(() => ModelVersion)
  async updateModelVersion(
    @Arg("input", () => UpdateModelVersionInput) input: UpdateModelVersionInput,
    @Ctx() ctx: RequestContext,
  ) {
    const id = parseNodeId(input.id, "ModelVersion", "input.id");
    const row = await ctx.services.modelVersions.update(ctx, id, input.id, {
      description: input.description,
      metrics: input.metrics ?? undefined,
    });
    return ModelVersion.from(row);
  }

  @Authorized("EDITOR")
  @Mutation(() => ModelVersion, {
    description:
      "Checks the version's artifact again (exists, SHA-256 matches, loads in onnxruntime) and records the outcome as its status.",
  })
  async verifyModelVersion(@Arg("id", () => ID) id: string, @Ctx() ctx: RequestContext) {
    const key = parseNodeId(id, "ModelVersion", "id");
    return ModelVersion.from(await ctx.services.modelVersions.verify(ctx, key, id));
  }

  @Authorized("EDITOR", "DEPLOYER")
  @Mutation(() => SetModelAliasPayload, {
    description: "Points an alias (e.g. champion) of the version's model at this version.",
  })
  async setModelAlias(@Arg("input", () => SetModelAliasInput) input: SetModelAliasInput, @Ctx() ctx: RequestContext) {
    const versionId = parseNodeId(input.modelVersionId, "ModelVersion", "input.modelVersionId");
    const result = await ctx.services.modelAliases.set(ctx, versionId, input.modelVersionId, input.alias);
    return {
      model: Model.from(result.model),
      alias: input.alias,
      modelVersion: ModelVersion.from(result.modelVersion),
      previousModelVersion: result.previousModelVersion ? ModelVersion.from(result.previousModelVersion) : null,
      changed: result.changed,
    };
  }
}
