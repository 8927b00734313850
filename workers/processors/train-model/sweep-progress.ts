import { type JobProgressEvent, jobProgressTopic } from "../../../server/events/topics.js";
import type { Services } from "../../../server/services.js";
import type { TrainModelPayload } from "../../jobs/train-model.job.js";
import type { JobContext } from "../../worker-host.js";

/**
 * A sweep trial's run has ended: the sweep job's progress moves to trials ended / total, and the
 * change is published like any job progress. Progress is advisory: a failure here never fails the trial.
 */
export async function reportTrialEnded(services: Services, payload: TrainModelPayload, context: JobContext): Promise<void> {
  if (!payload.parentRunId) return;
  try {
    const row = await services.sweeps.trialEnded(payload.parentRunId);
    if (!row || !context.publish) return;
    const event: JobProgressEvent = {
      jobId: row.id,
      queue: row.queue,
      name: row.name,
      status: row.status,
      progress: row.progress,
      message: row.message,
      error: row.error,
      attempt: row.attempts,
      at: row.updatedAt.toISOString(),
    };
    await context.publish(jobProgressTopic(row.id), event);
  } catch {
    // The sweep job's own completion sets its final progress.
  }
}
