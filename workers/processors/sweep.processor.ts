import type { RequestMeta } from "../../server/graphql/context.js";
import type { Services } from "../../server/services.js";
import { SWEEP_JOB, SWEEP_QUEUE, type SweepResult, sweepPayloadSchema } from "../jobs/sweep.job.js";
import { TRAINING_ACTOR } from "../jobs/train-model.job.js";
import { type JobContext, type JobHandler, PermanentJobError } from "../worker-host.js";
import { isPermanent, messageOf } from "./train-model/errors.js";

/**
 * The sweep job: the parent of a sweep's flow, run by BullMQ once every trial (train-model job) has
 * ended. It starts nothing — the trials were queued with it, under fixed job ids — so running it
 * again cannot start a trial twice; it names the best child and ends the parent run (see
 * SweepService.finish, which is idempotent).
 */
export function sweepHandler(services: Services): JobHandler {
  return {
    queue: SWEEP_QUEUE,
    name: SWEEP_JOB,
    run: (payload, context) => finishSweep(services, payload, context),
  };
}

async function finishSweep(services: Services, rawPayload: Record<string, unknown>, context: JobContext): Promise<SweepResult> {
  const parsed = sweepPayloadSchema.safeParse(rawPayload);
  if (!parsed.success) throw new PermanentJobError(`The sweep job's payload is invalid: ${parsed.error.message}`);
  const meta: RequestMeta = { actor: { name: TRAINING_ACTOR }, requestId: context.jobId, clientAddress: undefined };
  await context.reportProgress(99, "ranking the trials");
  let outcome: Awaited<ReturnType<Services["sweeps"]["finish"]>>;
  try {
    outcome = await services.sweeps.finish(meta, parsed.data.sweepRunId);
  } catch (error) {
    throw isPermanent(error) ? new PermanentJobError(messageOf(error)) : error;
  }
  if (outcome.failed) throw new PermanentJobError(outcome.failed);
  return outcome.result;
}
