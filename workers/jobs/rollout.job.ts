import { z } from "zod";

/** The canary health-check job: one per rollout, it checks until it promotes, rolls back or aborts. */
export const ROLLOUT_QUEUE = "serving";
export const ROLLOUT_CHECK_JOB = "rollout-check";
/** A check that fails on infrastructure (database) is retried; decisions are idempotent. */
export const ROLLOUT_CHECK_ATTEMPTS = 5;
/** The actor automatic promotions and rollbacks write as. */
export const ROLLOUT_ACTOR = "worker:rollout";

export const rolloutCheckPayloadSchema = z.strictObject({
  /** Row key of the rollout. */
  rolloutId: z.uuid(),
});
export type RolloutCheckPayload = z.infer<typeof rolloutCheckPayloadSchema>;
