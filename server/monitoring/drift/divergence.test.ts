import { describe, expect, it } from "vitest";
import { jensenShannonDistance, klDivergence } from "./divergence.js";

describe("klDivergence", () => {
  it("matches the worked example of Wikipedia's Kullback–Leibler divergence article", () => {
    // en.wikipedia.org/wiki/Kullback–Leibler_divergence, "Basic example": P = Binomial(2, 0.4) =
    // (0.36, 0.48, 0.16), Q uniform on {0, 1, 2}: D(P‖Q) = 0.0852996, D(Q‖P) = 0.097455 nats.
    const p = [0.36, 0.48, 0.16];
    const q = [1 / 3, 1 / 3, 1 / 3];
    expect(klDivergence(p, q)).toBeCloseTo(0.0852996, 7);
    expect(klDivergence(q, p)).toBeCloseTo(0.097455, 6);
  });

  it("is 0 for identical distributions and skips terms where p is 0", () => {
    expect(klDivergence([0.2, 0.8], [0.2, 0.8])).toBe(0);
    // 0.9·ln(0.9/0.5) + 0.1·ln(0.1/0.5) = 0.529008 − 0.160944 = 0.368064
    expect(klDivergence([0.9, 0.1, 0], [0.5, 0.5, 0])).toBeCloseTo(0.368064, 6);
  });
});

describe("jensenShannonDistance (base 2)", () => {
  it("is 0 for identical distributions and 1 for disjoint ones", () => {
    expect(jensenShannonDistance([0.25, 0.25, 0.5], [0.25, 0.25, 0.5])).toBe(0);
    // scipy.spatial.distance.jensenshannon docs: jensenshannon([1, 0, 0], [0, 1, 0], 2.0) → 1.0
    expect(jensenShannonDistance([1, 0, 0], [0, 1, 0])).toBe(1);
    expect(jensenShannonDistance([0.5, 0.5, 0, 0], [0, 0, 0.3, 0.7])).toBe(1);
  });

  it("matches scipy's documented natural-log value rescaled to base 2", () => {
    // scipy docs: jensenshannon([1.0, 0.0], [0.5, 0.5]) → 0.46450140402245893 (natural log).
    // By hand: m = (.75, .25); JSD = ½·ln(4/3) + ½·(½·ln(2/3) + ½·ln 2) = 0.215762 nats;
    // in base 2 the divergence is divided by ln 2, so the distance by √(ln 2): 0.5579230.
    expect(jensenShannonDistance([1, 0], [0.5, 0.5])).toBeCloseTo(0.46450140402245893 / Math.sqrt(Math.LN2), 12);
    expect(jensenShannonDistance([1, 0], [0.5, 0.5])).toBeCloseTo(0.557923, 6);
  });

  it("is symmetric and stays in [0, 1]", () => {
    const a = [0.7, 0.2, 0.1, 0];
    const b = [0, 0.1, 0.3, 0.6];
    const distance = jensenShannonDistance(a, b);
    expect(jensenShannonDistance(b, a)).toBeCloseTo(distance, 15);
    expect(distance).toBeGreaterThan(0);
    expect(distance).toBeLessThan(1);
  });
});
