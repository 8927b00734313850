import { InputInvalidError } from "../errors/common-errors.js";
import type { MetricPoint } from "./metric-point.repository.js";

export const MAX_POINTS_PER_CALL = 10_000;
const KEY_PATTERN = /^[A-Za-z0-9_.\-/:@ ]{1,255}$/;
const MAX_STEP = 2_147_483_647;

export interface MetricPointInputShape {
  key: string;
  value: number;
  step?: number | null | undefined;
  timestamp?: Date | null | undefined;
}

/**
 * Checks a logMetrics batch by hand rather than with class-validator: a batch has up to 10,000
 * points and this runs in a tight loop. Errors name the exact point, e.g. `input.points[17].step`.
 */
export function validateMetricPoints(points: MetricPointInputShape[], now: Date): MetricPoint[] {
  if (points.length === 0) throw new InputInvalidError("input.points", "must contain at least one point.");
  if (points.length > MAX_POINTS_PER_CALL) {
    throw new InputInvalidError(
      "input.points",
      `must contain at most ${MAX_POINTS_PER_CALL} points per call; got ${points.length}.`,
    );
  }
  return points.map((point, index) => {
    if (!KEY_PATTERN.test(point.key)) {
      throw new InputInvalidError(`input.points[${index}].key`, "must be 1–255 letters, digits, spaces or _ . - / : @.");
    }
    if (!Number.isFinite(point.value)) throw new InputInvalidError(`input.points[${index}].value`, "must be a finite number.");
    const step = point.step ?? 0;
    if (!Number.isInteger(step) || step < 0 || step > MAX_STEP) {
      throw new InputInvalidError(`input.points[${index}].step`, `must be an integer from 0 to ${MAX_STEP}; got ${step}.`);
    }
    return { key: point.key, value: point.value, step, timestamp: point.timestamp ?? now };
  });
}
