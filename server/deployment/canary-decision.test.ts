import { describe, expect, it } from "vitest";
import { decideCanary } from "./canary-decision.js";

const thresholds = { maxErrorRate: 0.01, maxP99Ms: 200, minRequests: 10 };
const during = { elapsedMs: 5_000, windowMs: 60_000 };
const after = { elapsedMs: 60_000, windowMs: 60_000 };
const stats = (requests: number, errors: number, p99Ms: number | null) => ({
  requests,
  errors,
  errorRate: requests === 0 ? 0 : errors / requests,
  p50Ms: p99Ms === null ? null : p99Ms / 2,
  p99Ms,
});

describe("decideCanary", () => {
  it("waits while healthy inside the window and promotes once the window has passed", () => {
    expect(decideCanary(stats(500, 5, 120), thresholds, during).action).toBe("WAIT");
    const promoted = decideCanary(stats(500, 5, 120), thresholds, after);
    expect(promoted.action).toBe("PROMOTE");
    expect(promoted.reason).toContain("500 requests");
  });

  it("rolls back as soon as the error rate is above 1%, not at exactly 1%", () => {
    expect(decideCanary(stats(1000, 10, 50), thresholds, after).action).toBe("PROMOTE");
    const rolledBack = decideCanary(stats(1000, 11, 50), thresholds, during);
    expect(rolledBack.action).toBe("ROLLBACK");
    expect(rolledBack.reason).toMatch(/error rate 1\.1% is above the limit of 1%/);
  });

  it("rolls back as soon as p99 latency is above the limit, not at the limit", () => {
    expect(decideCanary(stats(100, 0, 200), thresholds, after).action).toBe("PROMOTE");
    const rolledBack = decideCanary(stats(100, 0, 250), thresholds, during);
    expect(rolledBack.action).toBe("ROLLBACK");
    expect(rolledBack.reason).toMatch(/p99 latency 250 ms is above the limit of 200 ms/);
  });

  it("aborts when the canary served too few requests over the whole window", () => {
    expect(decideCanary(stats(0, 0, null), thresholds, during).action).toBe("WAIT");
    const aborted = decideCanary(stats(9, 0, 20), thresholds, after);
    expect(aborted.action).toBe("ABORT");
    expect(aborted.reason).toContain("at least 10");
    expect(decideCanary(stats(10, 0, 20), thresholds, after).action).toBe("PROMOTE");
  });

  it("checks the error rate before latency and both before the window", () => {
    const both = decideCanary(stats(100, 50, 900), thresholds, { elapsedMs: 0, windowMs: 60_000 });
    expect(both.action).toBe("ROLLBACK");
    expect(both.reason).toContain("error rate");
  });
});
