import { Arg, Args, Authorized, Ctx, Field, FieldResolver, Mutation, ObjectType, Query, Resolver, Root } from "type-graphql";
import { ConnectionType, toConnection } from "../graphql/connection.js";
import type { RequestContext } from "../graphql/context.js";
import { parseNodeId } from "../graphql/node-id.js";
import { PageArgs } from "../graphql/page-args.js";
import { Namespace } from "../namespace/namespace.type.js";
import {
  FeatureSetFilterInput,
  FeatureSetOrder,
  FeatureSetOrderField,
  RegisterFeatureSetInput,
  UpdateFeatureSetInput,
} from "./feature-set.inputs.js";
import { FeatureSet } from "./feature-set.type.js";
import { FeatureOrder, FeatureOrderField } from "./feature.inputs.js";
import { Feature, FeatureConnection } from "./feature.type.js";

const FeatureSetConnection = ConnectionType(FeatureSet, "FeatureSet");

@ObjectType()
class RegisterFeatureSetPayload {
  @Field(() => FeatureSet)
  featureSet!: FeatureSet;

  @Field(() => Boolean, { description: "False when the feature set already existed: it is returned unchanged." })
  created!: boolean;
}

@Resolver(() => FeatureSet)
export class FeatureSetResolver {
  @Authorized("VIEWER")
  @Query(() => FeatureSetConnection)
  async featureSets(
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: RequestContext,
    @Arg("filter", () => FeatureSetFilterInput, { nullable: true }) filter?: FeatureSetFilterInput,
    @Arg("orderBy", () => FeatureSetOrder, { nullable: true }) orderBy?: FeatureSetOrder,
  ) {
    const { page: result, count } = await ctx.services.featureSets.list(
      {
        namespace: filter?.namespace ?? undefined,
        nameContains: filter?.nameContains ?? undefined,
        visibleNamespaceIds: ctx.access.visibleNamespaceIds(),
      },
      page,
      orderBy?.field ?? FeatureSetOrderField.NAME,
      orderBy?.direction ?? "asc",
    );
    return toConnection(result, FeatureSet.from, count);
  }

  @Authorized("VIEWER")
  @Query(() => FeatureSet, { nullable: true })
  async featureSet(
    @Arg("namespace", () => String) namespace: string,
    @Arg("name", () => String) name: string,
    @Ctx() ctx: RequestContext,
  ) {
    const row = await ctx.services.featureSets.findByQualifiedName(namespace, name);
    return row ? FeatureSet.from(row) : null;
  }

  @FieldResolver(() => Namespace)
  async namespace(@Root() featureSet: FeatureSet, @Ctx() ctx: RequestContext) {
    return Namespace.from((await ctx.loaders.namespaceById.load(featureSet.namespaceKey))!);
  }

  @FieldResolver(() => FeatureConnection)
  async features(
    @Root() featureSet: FeatureSet,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: RequestContext,
    @Arg("orderBy", () => FeatureOrder, { nullable: true }) orderBy?: FeatureOrder,
  ) {
    const field = orderBy?.field ?? FeatureOrderField.NAME;
    const direction = orderBy?.direction ?? "asc";
    // First pages of every feature set of the tick come in one batch; later pages page inside this set.
    const result = page.after
      ? (await ctx.services.features.list({ featureSetId: featureSet.key }, page, field, direction)).page
      : await ctx.loaders.featurePages.firstPage(featureSet.key, page, field, direction);
    return toConnection(result, Feature.from, () => ctx.loaders.featurePages.count(featureSet.key));
  }

  @Authorized("EDITOR")
  @Mutation(() => RegisterFeatureSetPayload)
  async registerFeatureSet(
    @Arg("input", () => RegisterFeatureSetInput) input: RegisterFeatureSetInput,
    @Ctx() ctx: RequestContext,
  ) {
    const { featureSet, created } = await ctx.services.featureSets.register(ctx, {
      namespace: input.namespace,
      name: input.name,
      entityKeys: input.entityKeys,
      description: input.description ?? null,
    });
    return { featureSet: FeatureSet.from(featureSet), created };
  }

  @Authorized("EDITOR")
  @Mutation(() => FeatureSet)
  async updateFeatureSet(@Arg("input", () => UpdateFeatureSetInput) input: UpdateFeatureSetInput, @Ctx() ctx: RequestContext) {
    const id = parseNodeId(input.id, "FeatureSet", "input.id");
    return FeatureSet.from(
      await ctx.services.featureSets.update(ctx, id, {
        description: input.description,
        entityKeys: input.entityKeys ?? undefined,
      }),
    );
  }
}
