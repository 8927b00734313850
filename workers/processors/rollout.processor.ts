import { nextCheckDelayMs } from "../../server/deployment/rollout.service.js";
import type { RequestMeta } from "../../server/graphql/context.js";
import type { Services } from "../../server/services.js";
import {
  ROLLOUT_ACTOR,
  ROLLOUT_CHECK_ATTEMPTS,
  ROLLOUT_CHECK_JOB,
  ROLLOUT_QUEUE,
  rolloutCheckPayloadSchema,
} from "../jobs/rollout.job.js";
import { type JobContext, type JobHandler, PermanentJobError } from "../worker-host.js";

export interface RolloutCheckOptions {
  /** Time between two health checks: the next check job is queued with this delay. */
  checkIntervalMs: number;
}

/** What one check job did. */
export interface RolloutCheckResult {
  rolloutId: string;
  /** The rollout's state when the job ended. */
  state: string;
  /** WAIT (next check queued), PROMOTE, ROLLBACK, ABORT, or NONE when the job had nothing to do. */
  action: string;
  reason: string;
  /** Whether this job wrote the revision that ended the rollout. */
  changed: boolean;
  revision: number | null;
  nextJobId: string | null;
}

/**
 * The rollout-check job (queued delayed by one check interval): reads the canary's serving
 * statistics since the rollout started and acts on `decideCanary`: roll back, promote, abort, or
 * queue the next check, delayed by one interval (never past the end of the window), and hand the
 * checks over to it. No job waits inside a worker, so a long window holds no worker and never
 * holds up shutdown. Idempotent: the decision is
 * written under the deployment's lock and only while the rollout is CANARY, and only the job that
 * holds the rollout's checks queues the next one (a retried job does not start a second chain).
 */
export function rolloutCheckHandler(services: Services, options: RolloutCheckOptions): JobHandler {
  return {
    queue: ROLLOUT_QUEUE,
    name: ROLLOUT_CHECK_JOB,
    run: (payload, context) => checkRollout(services, options, payload, context),
  };
}

async function checkRollout(
  services: Services,
  options: RolloutCheckOptions,
  rawPayload: Record<string, unknown>,
  context: JobContext,
): Promise<RolloutCheckResult> {
  const parsed = rolloutCheckPayloadSchema.safeParse(rawPayload);
  if (!parsed.success) throw new PermanentJobError(`The rollout-check job's payload is invalid: ${parsed.error.message}`);
  const { rolloutId } = parsed.data;
  const meta: RequestMeta = { actor: { name: ROLLOUT_ACTOR }, requestId: context.jobId, clientAddress: undefined };
  const idle = (state: string, reason: string): RolloutCheckResult => ({
    rolloutId,
    state,
    action: "NONE",
    reason,
    changed: false,
    revision: null,
    nextJobId: null,
  });

  const before = await services.rollouts.find(rolloutId);
  if (!before) return idle("MISSING", "The rollout does not exist.");
  if (before.state !== "CANARY") return idle(before.state, `The rollout has already ended: ${before.reason ?? before.state}`);
  if (before.checkJobId !== context.jobId) {
    // The first job may start before the API has recorded it; any other job is a stray duplicate.
    const claimed = before.checkJobId === null && (await services.rollouts.handOverChecks(rolloutId, null, context.jobId));
    if (!claimed) return idle(before.state, "Another job holds this rollout's health checks.");
  }

  const windowEndsAt = before.startedAt.getTime() + before.windowSeconds * 1000;
  await context.reportProgress(progressOf(before.startedAt.getTime(), windowEndsAt), "checking the canary's health");

  const check = await services.rollouts.check(rolloutId, new Date());
  if (!check) return idle("MISSING", "The rollout no longer exists.");
  if (check.rollout.state !== "CANARY") {
    return idle(check.rollout.state, `The rollout ended during this check: ${check.rollout.reason ?? check.rollout.state}`);
  }
  const { decision } = check;
  if (decision.action !== "WAIT") {
    await context.reportProgress(99, `${decision.action.toLowerCase()}: ${decision.reason}`);
    const change = await services.rollouts.conclude(meta, rolloutId, decision);
    return {
      rolloutId,
      state: change.rollout.state,
      action: decision.action,
      reason: decision.reason,
      changed: change.changed,
      revision: change.revision?.revision ?? null,
      nextJobId: null,
    };
  }

  const next = await services.queues.dispatch(
    ROLLOUT_QUEUE,
    ROLLOUT_CHECK_JOB,
    { rolloutId },
    { attempts: ROLLOUT_CHECK_ATTEMPTS, delayMs: nextCheckDelayMs(before, options.checkIntervalMs, Date.now()) },
  );
  // When the hand-over fails, an earlier attempt of this job handed over already; `next` finds it is not the holder and stops.
  await services.rollouts.handOverChecks(rolloutId, context.jobId, next.id);
  await context.reportProgress(progressOf(before.startedAt.getTime(), windowEndsAt), decision.reason);
  return {
    rolloutId,
    state: "CANARY",
    action: "WAIT",
    reason: decision.reason,
    changed: false,
    revision: null,
    nextJobId: next.id,
  };
}

function progressOf(startedAt: number, windowEndsAt: number): number {
  const span = Math.max(1, windowEndsAt - startedAt);
  return Math.max(0, Math.min(98, ((Date.now() - startedAt) / span) * 100));
}
