import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { describe, expect, it } from "vitest";
import { seededGenerator } from "./random.js";

describe("seededGenerator", () => {
  it("repeats a stream for a seed and gives unrelated first draws for neighbouring seeds", () => {
    const first = (seed: number) => uniformFloat64(seededGenerator(seed));
    expect(first(1)).toBe(first(1));
    const firstDraws = Array.from({ length: 100 }, (_, seed) => first(seed));
    // Neighbouring seeds spread over [0, 1) rather than clustering: every quarter gets some.
    for (let quarter = 0; quarter < 4; quarter++) {
      expect(firstDraws.filter((draw) => Math.floor(draw * 4) === quarter).length).toBeGreaterThan(10);
    }
  });
});
