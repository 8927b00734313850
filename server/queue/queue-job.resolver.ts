import { Arg, Authorized, Ctx, ID, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../graphql/context.js";
import { parseNodeId } from "../graphql/node-id.js";
import { QueueJob } from "./queue-job.type.js";

@Resolver(() => QueueJob)
export class QueueJobResolver {
  @Authorized("VIEWER")
  @Query(() => QueueJob, { nullable: true, description: "A background job by id (as returned by startTraining and the like)." })
  async queueJob(@Arg("id", () => ID) id: string, @Ctx() ctx: RequestContext): Promise<QueueJob | null> {
    const key = parseNodeId(id, "QueueJob", "id");
    const row = await ctx.loaders.queueJobById.load(key);
    return row ? QueueJob.from(row) : null;
  }
}
