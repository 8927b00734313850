import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { CodeCommit } from "../commit/code-commit.type.js";
import { Feature } from "../feature/feature.type.js";
import type { RequestContext } from "../graphql/context.js";
import { Run } from "./run.type.js";

/** What a run was built from beyond its datasets: its code commit and the features it used. */
@Resolver(() => Run)
export class RunContextResolver {
  @FieldResolver(() => CodeCommit, { nullable: true })
  async commit(@Root() run: Run, @Ctx() ctx: RequestContext) {
    if (!run.commitKey) return null;
    const row = await ctx.loaders.codeCommitById.load(run.commitKey);
    return row ? CodeCommit.from(row) : null;
  }

  @FieldResolver(() => [Feature], { description: "Features this run used." })
  async features(@Root() run: Run, @Ctx() ctx: RequestContext) {
    const edges = await ctx.loaders.featureEdgesByRunId.load(run.key);
    const rows = await ctx.loaders.featureById.loadMany(edges.map((edge) => edge.upstream.id));
    return rows.flatMap((row) => (row && !(row instanceof Error) ? [Feature.from(row)] : []));
  }
}
