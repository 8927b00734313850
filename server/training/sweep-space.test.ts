import { describe, expect, it } from "vitest";
import { SweepSpaceError } from "./sweep.errors.js";
import { type SearchSpace, planTrials, resolveGoal, trialHyperparameters } from "./sweep-space.js";

function rejection(space: SearchSpace, cap = 100): { field: string | undefined; message: string; reason: unknown } {
  try {
    planTrials(space, cap);
  } catch (error) {
    expect(error).toBeInstanceOf(SweepSpaceError);
    const typed = error as SweepSpaceError;
    return { field: typed.field, message: typed.message, reason: typed.extensions.reason };
  }
  throw new Error("the space was accepted");
}

describe("planTrials: grid", () => {
  it("is the cartesian product of the listed values, last parameter fastest", () => {
    const trials = planTrials(
      {
        strategy: "GRID",
        seed: 0,
        parameters: [
          { name: "l2", values: [0, 0.1] },
          { name: "optimizer.learningRate", values: [0.01, 0.1, 1] },
        ],
      },
      100,
    );
    expect(trials).toEqual([
      { l2: 0, "optimizer.learningRate": 0.01 },
      { l2: 0, "optimizer.learningRate": 0.1 },
      { l2: 0, "optimizer.learningRate": 1 },
      { l2: 0.1, "optimizer.learningRate": 0.01 },
      { l2: 0.1, "optimizer.learningRate": 0.1 },
      { l2: 0.1, "optimizer.learningRate": 1 },
    ]);
  });

  it("refuses a grid over the cap (configurable) without multiplying it out", () => {
    const huge = Array.from({ length: 10 }, (_, k) => k);
    const space: SearchSpace = {
      strategy: "GRID",
      seed: 0,
      parameters: [
        { name: "l2", values: huge },
        { name: "batchSize", values: huge.map((k) => k + 1) },
        { name: "maxEpochs", values: huge.map((k) => k + 1) },
      ],
    };
    expect(rejection(space, 999)).toMatchObject({ field: "input.parameters", reason: "TOO_MANY_TRIALS" });
    expect(planTrials(space, 1_000)).toHaveLength(1_000);
  });

  it("refuses ranges, trials and an empty space", () => {
    expect(rejection({ strategy: "GRID", seed: 0, parameters: [] })).toMatchObject({ field: "input.parameters" });
    expect(rejection({ strategy: "GRID", seed: 0, parameters: [{ name: "l2", min: 0, max: 1 }] })).toMatchObject({
      field: "input.parameters[0]",
    });
    expect(rejection({ strategy: "GRID", seed: 0, trials: 3, parameters: [{ name: "l2", values: [0] }] })).toMatchObject({
      field: "input.trials",
    });
  });
});

describe("planTrials: random search", () => {
  const space: SearchSpace = {
    strategy: "RANDOM",
    seed: 42,
    trials: 50,
    parameters: [
      { name: "optimizer.learningRate", min: 1e-4, max: 1, scale: "LOG" },
      { name: "l2", min: 0, max: 0.5 },
      { name: "batchSize", min: 8, max: 64, integer: true },
      { name: "maxEpochs", min: 10, max: 1000, integer: true, scale: "LOG" },
      { name: "activation", values: ["relu", "tanh"] },
    ],
  };

  it("draws the same trials for the same seed, other trials for another seed", () => {
    const first = planTrials(space, 100);
    expect(planTrials(space, 100)).toEqual(first);
    expect(planTrials({ ...space, seed: 43 }, 100)).not.toEqual(first);
  });

  it("stays inside every range, draws whole numbers for integer ranges and only listed choices", () => {
    const trials = planTrials(space, 100);
    expect(trials).toHaveLength(50);
    for (const trial of trials) {
      const rate = trial["optimizer.learningRate"] as number;
      expect(rate).toBeGreaterThanOrEqual(1e-4);
      expect(rate).toBeLessThanOrEqual(1);
      expect(trial.l2 as number).toBeGreaterThanOrEqual(0);
      expect(trial.l2 as number).toBeLessThanOrEqual(0.5);
      expect(Number.isInteger(trial.batchSize)).toBe(true);
      expect(trial.batchSize as number).toBeGreaterThanOrEqual(8);
      expect(trial.batchSize as number).toBeLessThanOrEqual(64);
      expect(Number.isInteger(trial.maxEpochs)).toBe(true);
      expect(["relu", "tanh"]).toContain(trial.activation);
    }
    // Log-uniform: about half the draws fall below the geometric middle (0.01), not 1 %.
    const belowMiddle = trials.filter((trial) => (trial["optimizer.learningRate"] as number) < 0.01).length;
    expect(belowMiddle).toBeGreaterThan(10);
    expect(belowMiddle).toBeLessThan(40);
    expect(new Set(trials.map((trial) => trial.activation))).toEqual(new Set(["relu", "tanh"]));
  });

  it("refuses bad spaces with the field named", () => {
    const one = (parameter: SearchSpace["parameters"][number], trials: number | null = 3) =>
      rejection({ strategy: "RANDOM", seed: 0, trials, parameters: [parameter] });
    expect(one({ name: "learningRate", values: [1] })).toMatchObject({
      field: "input.parameters[0].name",
      reason: "UNKNOWN_HYPERPARAMETER",
    });
    expect(one({ name: "task", values: ["regression"] })).toMatchObject({ reason: "UNKNOWN_HYPERPARAMETER" });
    expect(one({ name: "l2", min: 1, max: 0 })).toMatchObject({ field: "input.parameters[0].max" });
    expect(one({ name: "l2", min: 0, max: 1, scale: "LOG" })).toMatchObject({ field: "input.parameters[0].min" });
    expect(one({ name: "batchSize", min: 1.5, max: 8, integer: true })).toMatchObject({ field: "input.parameters[0]" });
    expect(one({ name: "l2", min: 0 })).toMatchObject({ field: "input.parameters[0].max" });
    expect(one({ name: "l2", min: 0, max: Number.POSITIVE_INFINITY })).toMatchObject({ field: "input.parameters[0].max" });
    expect(one({ name: "l2" })).toMatchObject({ field: "input.parameters[0]" });
    expect(one({ name: "l2", values: [] })).toMatchObject({ field: "input.parameters[0].values" });
    expect(one({ name: "l2", values: [0.1, 0.1] })).toMatchObject({ field: "input.parameters[0].values[1]" });
    expect(one({ name: "l2", values: [0.1], min: 0, max: 1 })).toMatchObject({ field: "input.parameters[0]" });
    expect(one({ name: "l2", values: [0.1] }, null)).toMatchObject({ field: "input.trials" });
    expect(one({ name: "l2", values: [0.1] }, 0)).toMatchObject({ field: "input.trials" });
    expect(one({ name: "l2", values: [0.1] }, 101)).toMatchObject({ field: "input.trials", reason: "TOO_MANY_TRIALS" });
    expect(
      rejection({
        strategy: "RANDOM",
        seed: 0,
        trials: 2,
        parameters: [
          { name: "earlyStopping", values: [false] },
          { name: "earlyStopping.patience", values: [3] },
        ],
      }),
    ).toMatchObject({ field: "input.parameters[1].name" });
    expect(
      rejection({
        strategy: "RANDOM",
        seed: 0,
        trials: 2,
        parameters: [
          { name: "l2", values: [0] },
          { name: "l2", values: [1] },
        ],
      }),
    ).toMatchObject({ field: "input.parameters[1].name" });
  });
});

describe("trialHyperparameters", () => {
  it("sets dotted paths over the base settings and keeps the rest", () => {
    const base = { maxEpochs: 30, optimizer: { kind: "adam", learningRate: 0.05, beta1: 0.8 }, earlyStopping: false };
    expect(trialHyperparameters(base, 7, { "optimizer.learningRate": 0.1, "earlyStopping.patience": 4, l2: 0.01 })).toEqual({
      hyperparameters: {
        maxEpochs: 30,
        optimizer: { kind: "adam", learningRate: 0.1, beta1: 0.8 },
        earlyStopping: { patience: 4 },
        l2: 0.01,
      },
      seed: 7,
    });
    expect(base.optimizer.learningRate).toBe(0.05);
  });

  it("starts an Adam block when the base has no optimizer, and a fresh block when the kind changes", () => {
    expect(trialHyperparameters({}, 0, { "optimizer.learningRate": 0.3 }).hyperparameters).toEqual({
      optimizer: { kind: "adam", learningRate: 0.3 },
    });
    const base = { optimizer: { kind: "adam", beta1: 0.8 } };
    expect(trialHyperparameters(base, 0, { "optimizer.momentum": 0.5, "optimizer.kind": "sgd" }).hyperparameters).toEqual({
      optimizer: { kind: "sgd", momentum: 0.5 },
    });
  });

  it("varies the seed when the trial does", () => {
    expect(trialHyperparameters({}, 1, { seed: 9 })).toEqual({ hyperparameters: {}, seed: 9 });
  });
});

describe("resolveGoal", () => {
  it("takes the metric's natural direction unless told, and refuses metrics of the other task", () => {
    expect(resolveGoal("accuracy", "classification", null)).toBe("MAXIMIZE");
    expect(resolveGoal("rmse", "regression", null)).toBe("MINIMIZE");
    expect(resolveGoal("r2", "regression", "MINIMIZE")).toBe("MINIMIZE");
    expect(() => resolveGoal("rmse", "classification", null)).toThrow(SweepSpaceError);
  });
});
