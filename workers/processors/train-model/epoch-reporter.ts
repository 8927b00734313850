import { type RunProgressEvent, runProgressTopic } from "../../../server/events/topics.js";
import type { LatestMetric } from "../../../server/run/run-record.js";
import type { EpochMetrics, EpochProgress } from "../../training/index.js";

export interface MetricPointShape {
  key: string;
  value: number;
  step: number;
}

/** Run metric keys of the per-epoch values. */
const EPOCH_METRIC_KEYS: ReadonlyArray<[keyof EpochMetrics, string]> = [
  ["loss", "loss"],
  ["valLoss", "val_loss"],
  ["valAccuracy", "val_accuracy"],
  ["valAuc", "val_auc"],
  ["valRmse", "val_rmse"],
  ["valR2", "val_r2"],
];

/** Share of the job's progress bar that the epochs fill (reading data comes before, registration after). */
export const EPOCH_PROGRESS = { from: 5, to: 90 } as const;

export interface EpochReporterOptions {
  /** Appends points to the run's metric series. */
  logMetrics: (points: MetricPointShape[]) => Promise<void>;
  reportProgress: (percent: number, message: string) => Promise<void>;
  /**
   * What the run already holds (a retried job): points at or below a key's latest step are not
   * logged again — training is deterministic, so they are the same values.
   */
  logged: Readonly<Record<string, LatestMetric>>;
  /** Least time between two writes. @defaultValue 1000 ms */
  intervalMs?: number;
  /** The run whose epochs are published as RunProgressEvents (with `publish`). */
  runId?: string;
  /**
   * Publishes an event (JobContext.publish: failures are logged, never thrown). Each epoch is
   * published once the write that logged its metrics has committed.
   */
  publish?: (topic: string, payload: unknown) => Promise<void>;
}

/**
 * Turns epochs into run metrics (step = epoch) and job progress ("epoch 7/50 val_loss 0.31"),
 * batched so that a fast model does not write a transaction per epoch; with `runId` and `publish`,
 * every epoch is also published to runProgressTopic(runId) after its batch is written.
 */
export class EpochReporter {
  private pending: MetricPointShape[] = [];
  private pendingEpochs: RunProgressEvent[] = [];
  private lastProgress: { percent: number; message: string } | undefined;
  private lastWrite = 0;

  constructor(private readonly options: EpochReporterOptions) {}

  readonly onEpoch = async (metrics: EpochMetrics, progress: EpochProgress): Promise<void> => {
    const values: Record<string, number> = {};
    for (const [field, key] of EPOCH_METRIC_KEYS) {
      const value = metrics[field];
      if (typeof value !== "number" || !Number.isFinite(value)) continue;
      values[key] = value;
      const logged = this.options.logged[key];
      if (!(logged && logged.step >= metrics.epoch)) this.pending.push({ key, value, step: metrics.epoch });
    }
    if (this.options.runId && this.options.publish) {
      this.pendingEpochs.push({
        runId: this.options.runId,
        epoch: metrics.epoch,
        maxEpochs: progress.maxEpochs,
        metrics: values,
        at: new Date().toISOString(),
      });
    }
    const share = progress.epoch / progress.maxEpochs;
    this.lastProgress = {
      percent: EPOCH_PROGRESS.from + (EPOCH_PROGRESS.to - EPOCH_PROGRESS.from) * share,
      message: `epoch ${progress.epoch}/${progress.maxEpochs} val_loss ${Number(metrics.valLoss.toPrecision(3))}`,
    };
    if (Date.now() - this.lastWrite >= (this.options.intervalMs ?? 1_000) || this.pending.length >= 5_000) await this.flush();
  };

  /** Writes what is pending now (also called once training ends). */
  async flush(): Promise<void> {
    this.lastWrite = Date.now();
    const points = this.pending;
    const epochs = this.pendingEpochs;
    this.pending = [];
    this.pendingEpochs = [];
    if (points.length > 0) await this.options.logMetrics(points);
    const { runId, publish } = this.options;
    if (runId && publish) for (const epoch of epochs) await publish(runProgressTopic(runId), epoch);
    if (this.lastProgress) await this.options.reportProgress(this.lastProgress.percent, this.lastProgress.message);
    this.lastProgress = undefined;
  }
}
