import { describe, expect, it } from "vitest";
import { AdamOptimizer, SgdMomentumOptimizer } from "./optimizer.js";
import { SeededRandom } from "./random.js";
import { splitRows } from "./split.js";
import { fitStandardizer, standardizeRows } from "./standardizer.js";

describe("fitStandardizer", () => {
  it("fits mean and population std on the given rows only; a constant column gets scale 1", () => {
    // Row-major 4 × 2; rows 0-2 are training rows, row 3 (an outlier) must not count.
    const x = Float64Array.from([1, 5, 2, 5, 3, 5, 100, 9]);
    const standardizer = fitStandardizer(x, 2, Uint32Array.from([0, 1, 2]));
    expect([...standardizer.mean]).toEqual([2, 5]);
    expect(standardizer.scale[0]).toBeCloseTo(Math.sqrt(2 / 3), 15);
    expect(standardizer.scale[1]).toBe(1);
    const z = standardizeRows(standardizer, x, 2, Uint32Array.from([3, 0]));
    expect(z[0]).toBeCloseTo(98 / Math.sqrt(2 / 3), 10);
    expect([z[1], z[3]]).toEqual([4, 0]);
  });
});

describe("splitRows", () => {
  it("is a seeded partition of the rows", () => {
    const a = splitRows(100, 0.25, SeededRandom.fromSeed(9));
    const b = splitRows(100, 0.25, SeededRandom.fromSeed(9));
    const c = splitRows(100, 0.25, SeededRandom.fromSeed(10));
    expect(a).toEqual(b);
    expect(a.validation).not.toEqual(c.validation);
    expect(a.validation.length).toBe(25);
    expect(new Set([...a.train, ...a.validation]).size).toBe(100);
  });

  it("keeps class proportions when stratified", () => {
    // 60 rows of class 0, 30 of class 1, 10 of class 2.
    const strata = Int32Array.from({ length: 100 }, (_, r) => (r < 60 ? 0 : r < 90 ? 1 : 2));
    const { validation, train } = splitRows(100, 0.3, SeededRandom.fromSeed(1), strata);
    const count = (rows: Uint32Array, k: number) => [...rows].filter((r) => strata[r] === k).length;
    expect([0, 1, 2].map((k) => count(validation, k))).toEqual([18, 9, 3]);
    expect([0, 1, 2].map((k) => count(train, k))).toEqual([42, 21, 7]);
  });
});

describe("SeededRandom", () => {
  it("gives independent, reproducible streams", () => {
    const [a1, b1] = SeededRandom.streams(5, 2);
    const [a2] = SeededRandom.streams(5, 1);
    const first = [a1!.float(), a1!.float()];
    expect([a2!.float(), a2!.float()]).toEqual(first);
    expect(b1!.float()).not.toBe(first[0]);
    expect([...SeededRandom.fromSeed(1).permutation(10)].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

describe("optimizers", () => {
  // Minimize f(p) = Σ (p_i − c_i)², gradient 2(p − c).
  const center = Float64Array.from([3, -2]);
  function minimize(step: (p: Float64Array, g: Float64Array) => void, iterations: number): Float64Array {
    const p = new Float64Array(2);
    const g = new Float64Array(2);
    for (let k = 0; k < iterations; k++) {
      for (let i = 0; i < 2; i++) g[i] = 2 * (p[i]! - center[i]!);
      step(p, g);
    }
    return p;
  }

  it("Adam's first step moves each parameter by the learning rate", () => {
    const adam = new AdamOptimizer(2, 0.1, 0.9, 0.999, 1e-8);
    const p = minimize((params, grads) => adam.step(params, grads), 1);
    expect(p[0]).toBeCloseTo(0.1, 6);
    expect(p[1]).toBeCloseTo(-0.1, 6);
  });

  it("Adam and SGD with momentum converge on a quadratic", () => {
    const adam = new AdamOptimizer(2, 0.1, 0.9, 0.999, 1e-8);
    const sgd = new SgdMomentumOptimizer(2, 0.05, 0.9);
    for (const p of [minimize((a, b) => adam.step(a, b), 2000), minimize((a, b) => sgd.step(a, b), 500)]) {
      expect(p[0]).toBeCloseTo(3, 4);
      expect(p[1]).toBeCloseTo(-2, 4);
    }
  });
});
