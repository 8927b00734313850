import { createHash } from "node:crypto";
import type { TrafficShareRecord } from "../deployment/traffic-split.js";

/** A point in [0, 100) fixed by the routing key, so one key always reaches the same share of a split. */
export function routingPoint(routingKey: string): number {
  const digest = createHash("sha256").update(routingKey).digest();
  // 48 bits are plenty for a uniform percentage.
  return (digest.readUIntBE(0, 6) / 2 ** 48) * 100;
}

/**
 * The share of a traffic split that answers a request: by the routing key's point when one is
 * given (the same key → the same model version while the split stays), else at random, in
 * proportion to the shares' percents.
 */
export function pickShare(split: readonly TrafficShareRecord[], routingKey?: string | null): TrafficShareRecord {
  const point = routingKey ? routingPoint(routingKey) : Math.random() * 100;
  let cumulative = 0;
  for (const share of split) {
    cumulative += share.percent;
    if (point < cumulative) return share;
  }
  // Percents sum to 100 within rounding; the last share takes what rounding leaves.
  return split[split.length - 1]!;
}
