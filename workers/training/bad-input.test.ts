import { describe, expect, it } from "vitest";
import { TrainingDataError, TrainingDivergedError, TrainingSpecError } from "./errors.js";
import { rowMajorFromColumns } from "./prepare-data.js";
import { train } from "./train.js";
import type { TrainingData, TrainingSpec } from "./types.js";

const logistic: TrainingSpec = { model: "logistic_regression", seed: 1, maxEpochs: 2 };
const linear: TrainingSpec = { model: "linear_regression", seed: 1, maxEpochs: 2 };

function data(overrides: Partial<TrainingData> = {}): TrainingData {
  const rows = 20;
  return {
    featureNames: ["age", "income"],
    features: Float64Array.from({ length: rows * 2 }, (_, k) => (k * 7) % 11),
    target: Float64Array.from({ length: rows }, (_, r) => r % 2),
    targetName: "churned",
    ...overrides,
  };
}

async function dataError(spec: TrainingSpec, input: TrainingData): Promise<TrainingDataError> {
  const error = await train(spec, input).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TrainingDataError);
  return error as TrainingDataError;
}

describe("train rejects bad data with TrainingDataError", () => {
  it.each([
    ["NaN", Number.NaN, "NaN"],
    ["Infinity", Number.POSITIVE_INFINITY, "Infinity"],
    ["-Infinity", Number.NEGATIVE_INFINITY, "-Infinity"],
  ])("a feature that is %s, naming column and row", async (_, value, shown) => {
    const input = data();
    input.features[7 * 2 + 1] = value;
    input.features[9 * 2] = Number.NaN;
    const error = await dataError(logistic, input);
    expect(error.column).toBe("income");
    expect(error.row).toBe(7);
    expect(error.message).toBe(
      `Feature "income" is ${shown} in row 7 (2 non-finite values in all); drop or impute missing values before training.`,
    );
  });

  it("a NaN regression target (a non-numeric cell), naming the row", async () => {
    const input = data();
    (input.target as Float64Array)[4] = Number.NaN;
    const error = await dataError(linear, input);
    expect(error).toMatchObject({ column: "churned", row: 4 });
    expect(error.message).toBe('Regression target "churned" is not a number (NaN) in row 4.');
  });

  it("an infinite class label", async () => {
    const input = data();
    (input.target as Float64Array)[2] = Number.POSITIVE_INFINITY;
    expect(await dataError(logistic, input)).toMatchObject({ column: "churned", row: 2 });
  });

  it("text labels as a regression target", async () => {
    const error = await dataError(linear, data({ target: Array.from({ length: 20 }, () => "high") }));
    expect(error.message).toBe('Regression needs a numeric target, but "churned" holds text labels.');
  });

  it("an empty class label", async () => {
    const target: string[] = Array.from({ length: 20 }, (_, r) => (r % 2 ? "yes" : "no"));
    target[11] = "";
    expect(await dataError(logistic, data({ target }))).toMatchObject({ row: 11, column: "churned" });
  });

  it("empty data", async () => {
    const error = await dataError(logistic, data({ features: new Float64Array(0), target: new Float64Array(0) }));
    expect(error.message).toBe("The training data has no rows.");
  });

  it("a single class", async () => {
    const error = await dataError(logistic, data({ target: new Float64Array(20).fill(1) }));
    expect(error.message).toBe('Classification needs at least two classes, but "churned" has only one.');
    const strings = await dataError(
      { model: "mlp", task: "classification", seed: 1 },
      data({ target: Array.from({ length: 20 }, () => "yes") }),
    );
    expect(strings.column).toBe("churned");
  });

  it("mismatched lengths of features and target", async () => {
    const error = await dataError(logistic, data({ target: new Float64Array(19) }));
    expect(error.message).toBe('Lengths differ: the features have 20 rows but "churned" has 19 values.');
    const ragged = await dataError(logistic, data({ features: new Float64Array(39) }));
    expect(ragged.message).toMatch(/not a whole number of rows of 2 features/);
    expect(() => rowMajorFromColumns([new Float64Array(3), new Float64Array(2)])).toThrow(TrainingDataError);
  });

  it("missing or duplicate feature names", async () => {
    await dataError(logistic, data({ featureNames: [], features: new Float64Array(0) }));
    const duplicate = await dataError(logistic, data({ featureNames: ["age", "age"] }));
    expect(duplicate.column).toBe("age");
  });

  it("too few rows to hold out a validation part", async () => {
    const error = await dataError(
      logistic,
      data({ features: Float64Array.from([1, 2, 3, 4]), target: Float64Array.from([0, 1]) }),
    );
    expect(error.message).toMatch(/Too few rows \(2\)/);
  });
});

describe("train rejects bad hyperparameters with TrainingSpecError", () => {
  it.each<[TrainingSpec, string]>([
    [{ model: "mlp", seed: 1 }, "task"],
    [{ model: "logistic_regression", task: "regression", seed: 1 }, "task"],
    [{ model: "logistic_regression", seed: -1 }, "seed"],
    [{ model: "logistic_regression", seed: 1.5 }, "seed"],
    [{ model: "logistic_regression", seed: 1, validationFraction: 0 }, "validationFraction"],
    [{ model: "logistic_regression", seed: 1, batchSize: 0 }, "batchSize"],
    [{ model: "logistic_regression", seed: 1, optimizer: { kind: "adam", learningRate: -1 } }, "optimizer.learningRate"],
    [{ model: "logistic_regression", seed: 1, l2: Number.NaN }, "l2"],
    [{ model: "logistic_regression", seed: 1, hiddenLayers: [4] }, "hiddenLayers"],
    [{ model: "mlp", task: "classification", seed: 1, hiddenLayers: [] }, "hiddenLayers"],
    [{ model: "mlp", task: "classification", seed: 1, hiddenLayers: [4, 0] }, "hiddenLayers[1]"],
    [{ model: "linear_regression", seed: 1, earlyStopping: { patience: 0 } }, "earlyStopping.patience"],
  ])("%j → field %s", async (spec, field) => {
    await expect(train(spec, data())).rejects.toMatchObject({ name: "TrainingSpecError", field });
    await expect(train(spec, data())).rejects.toBeInstanceOf(TrainingSpecError);
  });

  it("reports divergence instead of returning NaN weights", async () => {
    const spec: TrainingSpec = {
      model: "linear_regression",
      seed: 1,
      earlyStopping: false,
      optimizer: { kind: "sgd", learningRate: 1e6 },
    };
    const run = train(spec, data());
    await expect(run).rejects.toBeInstanceOf(TrainingDivergedError);
  });
});
