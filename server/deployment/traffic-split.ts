import { z } from "zod";
import { InputInvalidError } from "../errors/common-errors.js";

/** One model version's share of a deployment's traffic. */
export interface TrafficShareRecord {
  /** Row key of the model version. */
  modelVersionId: string;
  /** 0 < percent ≤ 100; the shares of a revision sum to 100. */
  percent: number;
}

export const MAX_TRAFFIC_SHARES = 10;
const SUM_TOLERANCE = 1e-9;

const trafficSplitSchema = z.array(z.object({ modelVersionId: z.string(), percent: z.number() }));

/** Parses the `traffic_split` JSON column; a malformed value is a bug, so it throws. */
export function parseTrafficSplit(value: unknown): TrafficShareRecord[] {
  return trafficSplitSchema.parse(value);
}

/**
 * The rules a traffic split must follow whoever sends it (API or rollout worker): 1–10 shares,
 * each 0 < percent ≤ 100, together 100, no model version twice. Errors name `field`.
 */
export function checkTrafficSplit(shares: readonly TrafficShareRecord[], field = "input.trafficSplit"): void {
  if (shares.length < 1 || shares.length > MAX_TRAFFIC_SHARES) {
    throw new InputInvalidError(field, `must hold 1 to ${MAX_TRAFFIC_SHARES} shares; got ${shares.length}.`);
  }
  const seen = new Set<string>();
  for (const [index, share] of shares.entries()) {
    if (!Number.isFinite(share.percent) || share.percent <= 0 || share.percent > 100) {
      throw new InputInvalidError(
        field,
        `must give every share a percent above 0 and at most 100; share ${index} has ${share.percent}.`,
      );
    }
    if (seen.has(share.modelVersionId)) {
      throw new InputInvalidError(field, `must not name a model version twice; share ${index} repeats one.`);
    }
    seen.add(share.modelVersionId);
  }
  const total = shares.reduce((sum, share) => sum + share.percent, 0);
  if (Math.abs(total - 100) > SUM_TOLERANCE) {
    throw new InputInvalidError(field, `must have percents summing to 100; got ${total}.`);
  }
}
