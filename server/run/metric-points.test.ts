import { describe, expect, it } from "vitest";
import { mergeLatestMetrics } from "./metric.service.js";
import { MAX_POINTS_PER_CALL, validateMetricPoints } from "./metric-points.validation.js";

const now = new Date("2026-11-25T12:00:00Z");

describe("metric point batches", () => {
  it("fills defaults: step 0 and the time of the call", () => {
    expect(validateMetricPoints([{ key: "loss", value: 0.5 }], now)).toEqual([
      { key: "loss", value: 0.5, step: 0, timestamp: now },
    ]);
  });

  it("names the exact point that is wrong", () => {
    const points = [
      { key: "ok", value: 1 },
      { key: "bad\nkey", value: 1 },
    ];
    expect(() => validateMetricPoints(points, now)).toThrow('Field "input.points[1].key"');
    expect(() => validateMetricPoints([{ key: "a", value: Number.NaN }], now)).toThrow(
      '"input.points[0].value" must be a finite number',
    );
    expect(() => validateMetricPoints([{ key: "a", value: 1, step: 1.5 }], now)).toThrow('"input.points[0].step"');
    expect(() => validateMetricPoints([], now)).toThrow("at least one point");
    const tooMany = Array.from({ length: MAX_POINTS_PER_CALL + 1 }, () => ({ key: "a", value: 1 }));
    expect(() => validateMetricPoints(tooMany, now)).toThrow(`at most ${MAX_POINTS_PER_CALL} points`);
  });

  it("keeps the point with the highest step as the latest value, later timestamps breaking ties", () => {
    const earlier = new Date("2026-11-25T11:00:00Z");
    const merged = mergeLatestMetrics({ loss: { value: 0.3, step: 10, timestamp: earlier.toISOString() } }, [
      { key: "loss", value: 0.9, step: 2, timestamp: now },
      { key: "loss", value: 0.25, step: 10, timestamp: now },
      { key: "auc", value: 0.7, step: 1, timestamp: now },
      { key: "auc", value: 0.8, step: 3, timestamp: earlier },
    ]);
    expect(merged).toEqual({
      loss: { value: 0.25, step: 10, timestamp: now.toISOString() },
      auc: { value: 0.8, step: 3, timestamp: earlier.toISOString() },
    });
  });
});
