import { describe, expect, it } from "vitest";
import { runProgressTopic } from "../../../server/events/topics.js";
import { EpochReporter, type MetricPointShape } from "./epoch-reporter.js";

describe("epoch reporter", () => {
  function reporter(logged: Record<string, { value: number; step: number; timestamp: string }> = {}, intervalMs = 0) {
    const points: MetricPointShape[][] = [];
    const progress: Array<[number, string]> = [];
    const instance = new EpochReporter({
      logMetrics: async (batch) => {
        points.push(batch);
      },
      reportProgress: async (percent, message) => {
        progress.push([percent, message]);
      },
      logged,
      intervalMs,
    });
    return { instance, points, progress };
  }

  it("logs each epoch's finite values at step = epoch and reports progress of the epochs", async () => {
    const { instance, points, progress } = reporter();
    await instance.onEpoch(
      { epoch: 7, loss: 0.5, valLoss: 0.312345, valAccuracy: 0.9, valAuc: Number.NaN },
      { epoch: 7, maxEpochs: 50 },
    );
    expect(points).toEqual([
      [
        { key: "loss", value: 0.5, step: 7 },
        { key: "val_loss", value: 0.312345, step: 7 },
        { key: "val_accuracy", value: 0.9, step: 7 },
      ],
    ]);
    expect(progress).toEqual([[5 + 85 * (7 / 50), "epoch 7/50 val_loss 0.312"]]);
  });

  it("batches writes within the interval and skips steps a previous attempt logged", async () => {
    const timestamp = new Date().toISOString();
    const { instance, points, progress } = reporter({ loss: { value: 1, step: 2, timestamp } }, 60_000);
    for (let epoch = 1; epoch <= 3; epoch++) {
      await instance.onEpoch({ epoch, loss: epoch, valLoss: epoch, valRmse: 1, valR2: 0.5 }, { epoch, maxEpochs: 3 });
    }
    // The first epoch writes at once; the rest wait for the interval or the final flush.
    expect(points).toHaveLength(1);
    await instance.flush();
    const all = points.flat();
    expect(all.filter((point) => point.key === "loss").map((point) => point.step)).toEqual([3]);
    expect(all.filter((point) => point.key === "val_loss").map((point) => point.step)).toEqual([1, 2, 3]);
    expect(all.filter((point) => point.key === "val_r2")).toHaveLength(3);
    expect(progress.at(-1)).toEqual([90, "epoch 3/3 val_loss 3"]);
  });

  it("publishes every epoch to the run's progress topic, only after the batch holding it is written", async () => {
    const order: string[] = [];
    const published: Array<{ topic: string; payload: Record<string, unknown> }> = [];
    const instance = new EpochReporter({
      logMetrics: async (batch) => {
        order.push(`write ${batch.map((point) => point.step).join(",")}`);
      },
      reportProgress: async () => {},
      logged: {},
      intervalMs: 60_000,
      runId: "run-1",
      publish: async (topic, payload) => {
        order.push(`publish ${(payload as { epoch: number }).epoch}`);
        published.push({ topic, payload: payload as Record<string, unknown> });
      },
    });
    for (let epoch = 1; epoch <= 3; epoch++) {
      await instance.onEpoch({ epoch, loss: epoch, valLoss: epoch / 2, valAuc: Number.NaN }, { epoch, maxEpochs: 10 });
    }
    await instance.flush();
    expect(order).toEqual(["write 1,1", "publish 1", "write 2,2,3,3", "publish 2", "publish 3"]);
    expect(published.map((event) => event.topic)).toEqual(Array(3).fill(runProgressTopic("run-1")));
    expect(published[2]!.payload).toMatchObject({ runId: "run-1", epoch: 3, maxEpochs: 10, metrics: { loss: 3, val_loss: 1.5 } });
    expect(published[2]!.payload.metrics).not.toHaveProperty("val_auc");
  });
});
