import { Arg, Args, Authorized, Ctx, Field, FieldResolver, Mutation, ObjectType, Query, Resolver, Root } from "type-graphql";
import { ConnectionType, toConnection } from "../graphql/connection.js";
import type { RequestContext } from "../graphql/context.js";
import { parseNodeId } from "../graphql/node-id.js";
import { PageArgs } from "../graphql/page-args.js";
import { paginateInMemory } from "../lib/paginate.js";
import { Namespace } from "../namespace/namespace.type.js";
import { RemoveModelAliasInput } from "./model-version.inputs.js";
import { ModelFilterInput, ModelOrder, ModelOrderField, RegisterModelInput, UpdateModelInput } from "./model.inputs.js";
import { Model, ModelAliasEntry, ModelVersion, ModelVersionConnection } from "./model.type.js";

const ModelConnection = ConnectionType(Model, "Model");

@ObjectType()
class RegisterModelPayload {
  @Field(() => Model)
  model!: Model;

  @Field(() => Boolean, { description: "False when the model already existed." })
  created!: boolean;
}

@Resolver(() => Model)
export class ModelResolver {
  @Authorized("VIEWER")
  @Query(() => ModelConnection)
  async models(
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: RequestContext,
    @Arg("filter", () => ModelFilterInput, { nullable: true }) filter?: ModelFilterInput,
    @Arg("orderBy", () => ModelOrder, { nullable: true }) orderBy?: ModelOrder,
  ) {
    const { page: result, count } = await ctx.services.models.list(
      {
        namespace: filter?.namespace ?? undefined,
        nameContains: filter?.nameContains ?? undefined,
        visibleNamespaceIds: ctx.access.visibleNamespaceIds(),
      },
      page,
      orderBy?.field ?? ModelOrderField.NAME,
      orderBy?.direction ?? "asc",
    );
    return toConnection(result, Model.from, count);
  }

  @Authorized("VIEWER")
  @Query(() => Model, { nullable: true })
  async model(
    @Arg("namespace", () => String) namespace: string,
    @Arg("name", () => String) name: string,
    @Ctx() ctx: RequestContext,
  ) {
    const row = await ctx.services.models.findByQualifiedName(namespace, name);
    return row ? Model.from(row) : null;
  }

  @FieldResolver(() => Namespace)
  async namespace(@Root() model: Model, @Ctx() ctx: RequestContext) {
    return Namespace.from((await ctx.loaders.namespaceById.load(model.namespaceKey))!);
  }

  @FieldResolver(() => ModelVersionConnection, { description: "Versions, newest first." })
  async versions(@Root() model: Model, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: RequestContext) {
    const rows = await ctx.loaders.modelVersionsByModelId.load(model.key);
    return toConnection(paginateInMemory(rows, page, "version", "desc"), ModelVersion.from, async () => rows.length);
  }

  @FieldResolver(() => ModelVersion, { nullable: true, description: "The highest-numbered version; null before the first." })
  async latestVersion(@Root() model: Model, @Ctx() ctx: RequestContext) {
    const [latest] = await ctx.loaders.modelVersionsByModelId.load(model.key);
    return latest ? ModelVersion.from(latest) : null;
  }

  @FieldResolver(() => [ModelAliasEntry], { description: "Aliases by name." })
  async aliases(@Root() model: Model, @Ctx() ctx: RequestContext): Promise<ModelAliasEntry[]> {
    const aliases = await ctx.loaders.modelAliasesByModelId.load(model.key);
    const versions = await ctx.loaders.modelVersionById.loadMany(aliases.map((alias) => alias.modelVersionId));
    return aliases.flatMap((alias, index) => {
      const version = versions[index];
      return version && !(version instanceof Error) ? [{ alias: alias.alias, modelVersion: ModelVersion.from(version) }] : [];
    });
  }

  @Authorized("EDITOR")
  @Mutation(() => RegisterModelPayload)
  async registerModel(@Arg("input", () => RegisterModelInput) input: RegisterModelInput, @Ctx() ctx: RequestContext) {
    const { model, created } = await ctx.services.models.register(ctx, input);
    return { model: Model.from(model), created };
  }

  @Authorized("EDITOR")
  @Mutation(() => Model)
  async updateModel(@Arg("input", () => UpdateModelInput) input: UpdateModelInput, @Ctx() ctx: RequestContext) {
    const id = parseNodeId(input.id, "Model", "input.id");
    return Model.from(await ctx.services.models.update(ctx, id, input.id, { description: input.description }));
  }

  @Authorized("EDITOR", "DEPLOYER")
  @Mutation(() => Model, { description: "Removes an alias from a model; NOT_FOUND when the model has no such alias." })
  async removeModelAlias(@Arg("input", () => RemoveModelAliasInput) input: RemoveModelAliasInput, @Ctx() ctx: RequestContext) {
    const modelId = parseNodeId(input.modelId, "Model", "input.modelId");
    return Model.from(await ctx.services.modelAliases.remove(ctx, modelId, input.modelId, input.alias));
  }
}
