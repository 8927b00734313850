import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { Dataset, DatasetVersion } from "../dataset/dataset.type.js";
import type { RequestContext } from "../graphql/context.js";
import { JSONObject } from "../graphql/scalars.js";
import { Job, Run } from "../run/run.type.js";
import { DatasetSymlink, OpenLineageEvent } from "./openlineage.type.js";

// Every field here reads through the request's DataLoaders (ctx.loaders.openLineage): a page of
// runs or datasets asking for its facets or events costs one statement, not one per node.

const FACETS = "Current OpenLineage facets by name (the one from the latest event time wins); {} when none were sent.";

@Resolver(() => Run)
export class RunOpenLineageResolver {
  @FieldResolver(() => [OpenLineageEvent], {
    description: "OpenLineage events of this run as received, oldest event time first.",
  })
  async openLineageEvents(@Root() run: Run, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.openLineage.eventsByRunId.load(run.key)).map(OpenLineageEvent.from);
  }

  @FieldResolver(() => JSONObject, { description: FACETS })
  openLineageFacets(@Root() run: Run, @Ctx() ctx: RequestContext) {
    return ctx.loaders.openLineage.facets.Run.load(run.key);
  }
}

@Resolver(() => Job)
export class JobOpenLineageResolver {
  @FieldResolver(() => JSONObject, { description: `${FACETS} SQL, source code location, ownership… live here.` })
  openLineageFacets(@Root() job: Job, @Ctx() ctx: RequestContext) {
    return ctx.loaders.openLineage.facets.Job.load(job.key);
  }
}

@Resolver(() => Dataset)
export class DatasetOpenLineageResolver {
  @FieldResolver(() => JSONObject, { description: `${FACETS} Symlinks, ownership, documentation… live here.` })
  openLineageFacets(@Root() dataset: Dataset, @Ctx() ctx: RequestContext) {
    return ctx.loaders.openLineage.facets.Dataset.load(dataset.key);
  }

  @FieldResolver(() => [DatasetSymlink], {
    description: "Other identifiers of this dataset (OpenLineage symlinks facet); events naming any of them land here.",
  })
  async symlinks(@Root() dataset: Dataset, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.openLineage.symlinksByDatasetId.load(dataset.key)).map(DatasetSymlink.from);
  }
}

@Resolver(() => DatasetVersion)
export class DatasetVersionOpenLineageResolver {
  @FieldResolver(() => JSONObject, {
    description: `${FACETS} Output facets (outputStatistics…) are named output.<facet>, input facets (dataQualityMetrics…) input.<facet>.`,
  })
  openLineageFacets(@Root() version: DatasetVersion, @Ctx() ctx: RequestContext) {
    return ctx.loaders.openLineage.facets.DatasetVersion.load(version.key);
  }
}
