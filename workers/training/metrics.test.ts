import { describe, expect, it } from "vitest";
import { classificationMetrics, logLoss, regressionMetrics, rocAuc } from "./metrics.js";

describe("metrics", () => {
  it("computes ROC AUC by ranks, ties counting half", () => {
    // scikit-learn's roc_auc_score docstring example: y = [0, 0, 1, 1], scores [0.1, 0.4, 0.35, 0.8] → 0.75.
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    expect(rocAuc([0.5, 0.5], [0, 1])).toBe(0.5);
    expect(rocAuc([0.2, 0.9, 0.1], [0, 1, 0])).toBe(1);
    expect(rocAuc([0.2, 0.9], [1, 1])).toBeNaN();
  });

  it("computes binary accuracy, precision, recall, F1 and log loss", () => {
    // actual 1,1,1,0,0,0; predicted positive probability → predictions 1,1,0,1,0,0.
    const p = [0.9, 0.8, 0.4, 0.6, 0.2, 0.1];
    const probabilities = Float64Array.from(p.flatMap((q) => [1 - q, q]));
    const metrics = classificationMetrics([1, 1, 1, 0, 0, 0], probabilities, 2);
    expect(metrics.task).toBe("binary");
    expect(metrics.accuracy).toBeCloseTo(4 / 6, 15);
    expect(metrics.precision).toBeCloseTo(2 / 3, 15);
    expect(metrics.recall).toBeCloseTo(2 / 3, 15);
    expect(metrics.f1).toBeCloseTo(2 / 3, 15);
    expect(metrics.confusionMatrix).toEqual([
      [2, 1],
      [1, 2],
    ]);
    const expectedLogLoss = -(Math.log(0.9) + Math.log(0.8) + Math.log(0.4) + Math.log(0.4) + Math.log(0.8) + Math.log(0.9)) / 6;
    expect(metrics.logLoss).toBeCloseTo(expectedLogLoss, 14);
    expect(metrics.rocAuc).toBeCloseTo(8 / 9, 14);
  });

  it("macro-averages precision, recall and F1 over classes", () => {
    // actual 0,1,2,2 predicted 0,2,2,1: class 0 P=R=1; class 1 P=R=0; class 2 P=R=1/2.
    const onehot = (k: number) => [0, 1, 2].map((c) => (c === k ? 0.8 : 0.1));
    const metrics = classificationMetrics([0, 1, 2, 2], Float64Array.from([0, 2, 2, 1].flatMap(onehot)), 3);
    expect(metrics.task).toBe("multiclass");
    expect(metrics.accuracy).toBe(0.5);
    expect(metrics.precision).toBeCloseTo(0.5, 15);
    expect(metrics.recall).toBeCloseTo(0.5, 15);
    expect(metrics.f1).toBeCloseTo(0.5, 15);
    expect(metrics.rocAuc).toBeUndefined();
  });

  it("clips probabilities in log loss", () => {
    expect(logLoss([0], Float64Array.from([0, 1]), 2)).toBeCloseTo(-Math.log(1e-15), 10);
  });

  it("computes RMSE, MAE and R²", () => {
    // scikit-learn docs examples: r2_score([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]) = 0.948…, MAE 0.5, MSE 0.375.
    const metrics = regressionMetrics([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]);
    expect(metrics.mse).toBeCloseTo(0.375, 15);
    expect(metrics.rmse).toBeCloseTo(Math.sqrt(0.375), 15);
    expect(metrics.mae).toBeCloseTo(0.5, 15);
    expect(metrics.r2).toBeCloseTo(0.9486081370449679, 14);
    expect(regressionMetrics([2, 2], [2, 2]).r2).toBe(1);
    expect(regressionMetrics([2, 2], [1, 3]).r2).toBe(0);
  });
});
