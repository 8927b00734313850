import { describe, expect, it } from "vitest";
import { LATENCY_BUCKET_BOUNDS_MS, emptyLatencyCounts, latencyBucketIndex, latencyQuantile } from "./latency-histogram.js";
import { MicroBatcher } from "./micro-batcher.js";
import { parseServableSignature } from "./model-signature.js";
import { decodePredictInput } from "./predict-input.js";
import { formatOutputs } from "./prediction.service.js";
import { pickShare, routingPoint } from "./traffic-router.js";

const signature = parseServableSignature(
  { featureNames: ["age", "income"], inputs: [{ name: "features", dtype: "float32", shape: [null, 2] }], classes: ["no", "yes"] },
  "mv",
);

describe("decodePredictInput", () => {
  it("builds the row-major float32 tensor from rows, value lists or columns", () => {
    const options = { prefix: "", maxRows: 10 };
    const expected = Float32Array.from([1, 2, 3, 4]);
    expect(
      decodePredictInput(
        {
          rows: [
            { income: 2, age: 1 },
            { age: 3, income: 4 },
          ],
        },
        signature,
        options,
      ).values,
    ).toEqual(expected);
    expect(
      decodePredictInput(
        {
          rows: [
            [1, 2],
            [3, 4],
          ],
        },
        signature,
        options,
      ).values,
    ).toEqual(expected);
    const decoded = decodePredictInput({ columns: { age: [1, 3], income: [2, 4] } }, signature, options);
    expect(decoded.values).toEqual(expected);
    expect(decoded.rowCount).toBe(2);
    expect(decoded.rowInputs(1)).toEqual({ age: 3, income: 4 });
  });

  it.each([
    [{ rows: [{ age: 1, income: 2, extra: 3 }] }, "input.rows[0].extra"],
    [{ rows: [{ age: 1 }] }, "input.rows[0].income"],
    [{ rows: [{ age: 1, income: "2" }] }, "input.rows[0].income"],
    [{ rows: [{ age: null, income: 2 }] }, "input.rows[0].age"],
    [{ rows: [{ age: 1e39, income: 2 }] }, "input.rows[0].age"],
    [{ rows: [[1]] }, "input.rows[0]"],
    [{ rows: [{ "a b": 1 }] }, 'input.rows[0]["a b"]'],
    [{ columns: { age: [1], income: [1, 2] } }, "input.columns.income"],
    [{ columns: { age: [1], income: [Number.NaN] } }, "input.columns.income[0]"],
    [{ rows: Array.from({ length: 11 }, () => [1, 2]) }, "input.rows"],
    [{}, "input.rows"],
  ])("refuses %j naming %s", (payload, field) => {
    expect(() => decodePredictInput(payload, signature, { prefix: "input.", maxRows: 10 })).toThrow(
      expect.objectContaining({ field }),
    );
  });
});

describe("parseServableSignature", () => {
  it("refuses signatures the predict path cannot map features onto", () => {
    expect(() => parseServableSignature({ inputs: [{ name: "features" }] }, "mv")).toThrow(/featureNames/);
    expect(() => parseServableSignature({ featureNames: ["a", "a"] }, "mv")).toThrow(/repeats/);
    expect(() => parseServableSignature({ featureNames: ["a"], inputs: [{ name: "x", dtype: "int64" }] }, "mv")).toThrow(
      /float32/,
    );
    expect(() => parseServableSignature({ featureNames: ["a"], inputs: [{ name: "x", shape: [null, 2] }] }, "mv")).toThrow(
      /2 columns/,
    );
  });
});

describe("formatOutputs", () => {
  it("maps classifier outputs to labels and per-class probabilities, other outputs per row", () => {
    const rows = formatOutputs(
      {
        probabilities: { data: Float32Array.from([0.25, 0.75, 0.5, 0.5]), dims: [2, 2] },
        label: { data: BigInt64Array.from([1n, 0n]), dims: [2] },
        embedding: { data: Float32Array.from([1, 2, 3, 4, 5, 6]), dims: [2, 3] },
      },
      2,
      signature,
    );
    expect(rows).toEqual([
      { probabilities: { no: 0.25, yes: 0.75 }, label: "yes", embedding: [1, 2, 3] },
      { probabilities: { no: 0.5, yes: 0.5 }, label: "no", embedding: [4, 5, 6] },
    ]);
  });
});

describe("pickShare", () => {
  const split = [
    { modelVersionId: "a", percent: 90 },
    { modelVersionId: "b", percent: 10 },
  ];
  it("routes one key to one share and spreads keys by percent", () => {
    expect(pickShare(split, "user-7")).toEqual(pickShare(split, "user-7"));
    const toB = Array.from({ length: 10_000 }, (_, i) => pickShare(split, `user-${i}`)).filter((s) => s.modelVersionId === "b");
    expect(toB.length / 10_000).toBeCloseTo(0.1, 1);
    expect(routingPoint("x")).toBeGreaterThanOrEqual(0);
    expect(routingPoint("x")).toBeLessThan(100);
  });
});

describe("latency histogram", () => {
  it("finds buckets and interpolates quantiles within ±10 %", () => {
    expect(latencyBucketIndex(0)).toBe(0);
    expect(latencyBucketIndex(1e9)).toBe(LATENCY_BUCKET_BOUNDS_MS.length);
    const counts = emptyLatencyCounts();
    for (let ms = 1; ms <= 100; ms++) counts[latencyBucketIndex(ms)]! += 1;
    expect(latencyQuantile(counts, 0.5)! / 50).toBeGreaterThan(0.9);
    expect(latencyQuantile(counts, 0.5)! / 50).toBeLessThan(1.1);
    expect(latencyQuantile(counts, 0.99)! / 99).toBeGreaterThan(0.9);
    expect(latencyQuantile(counts, 0.99)! / 99).toBeLessThan(1.1);
    expect(latencyQuantile(emptyLatencyCounts(), 0.5)).toBeNull();
  });
});

describe("MicroBatcher", () => {
  it("runs requests of one window together and gives each its own rows", async () => {
    const runs: number[] = [];
    const batcher = new MicroBatcher(
      async (values, rows) => {
        runs.push(rows);
        return { doubled: { data: values.map((v) => v * 2), dims: [rows, 2] } };
      },
      { width: 2, windowMicros: 2_000, maxRows: 100 },
    );
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => batcher.submit(Float32Array.from([i, i + 0.5]), 1)));
    expect(runs).toEqual([10]);
    results.forEach((result, i) => {
      expect(Array.from(result.doubled!.data)).toEqual([2 * i, 2 * i + 1]);
    });
    await batcher.idle();
  });

  it("starts a batch as soon as maxRows rows wait, and fails only the batch whose run failed", async () => {
    let calls = 0;
    const batcher = new MicroBatcher(
      async (values, rows) => {
        calls += 1;
        if (calls === 1) throw new Error("boom");
        return { out: { data: values, dims: [rows, 1] } };
      },
      { width: 1, windowMicros: 1_000_000, maxRows: 2 },
    );
    const first = [batcher.submit(Float32Array.from([1]), 1), batcher.submit(Float32Array.from([2]), 1)];
    await expect(first[0]).rejects.toThrow("boom");
    await expect(first[1]).rejects.toThrow("boom");
    const second = await Promise.all([batcher.submit(Float32Array.from([3]), 1), batcher.submit(Float32Array.from([4]), 1)]);
    expect(second.map((r) => Array.from(r.out!.data))).toEqual([[3], [4]]);
  });
});
