import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { DatasetVersion } from "../dataset/dataset.type.js";
import type { RequestContext } from "../graphql/context.js";
import { Run } from "./run.type.js";

/** The runs around a dataset version: who wrote it and who read it (current edges). */
@Resolver(() => DatasetVersion)
export class DatasetVersionRunsResolver {
  @FieldResolver(() => Run, { nullable: true, description: "The run that wrote this version." })
  async producedBy(@Root() version: DatasetVersion, @Ctx() ctx: RequestContext) {
    const edge = (await ctx.loaders.producerEdgesByDatasetVersionId.load(version.key))[0];
    const row = edge ? await ctx.loaders.runById.load(edge.upstream.id) : null;
    return row ? Run.from(row) : null;
  }

  @FieldResolver(() => [Run], { description: "Runs that read this version." })
  async consumedBy(@Root() version: DatasetVersion, @Ctx() ctx: RequestContext) {
    const edges = await ctx.loaders.consumerEdgesByDatasetVersionId.load(version.key);
    const rows = await ctx.loaders.runById.loadMany(edges.map((edge) => edge.downstream.id));
    return rows.flatMap((row) => (row && !(row instanceof Error) ? [Run.from(row)] : []));
  }
}
