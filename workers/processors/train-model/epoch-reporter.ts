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
}

/**
 * Turns epochs into run metrics (step = epoch) and job progress ("epoch 7/50 val_loss 0.31"),
 * batched so that a fast model does not write a transaction per epoch.
 */
export class EpochReporter {
  private pending: MetricPointShape[] = [];
  private lastProgress: { percent: number; message: string } | undefined;
  private lastWrite = 0;

  constructor(private readonly options: EpochReporterOptions) {}

  readonly onEpoch = async (metrics: EpochMetrics, progress: EpochProgress): Promise<void> => {
    for (const [field, key] of EPOCH_METRIC_KEYS) {
      const value = metrics[field];
      const logged = this.options.logged[key];
      if (typeof value === "number" && Number.isFinite(value) && !(logged && logged.step >= metrics.epoch)) {
        this.pending.push({ key, value, step: metrics.epoch });
      }
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
    this.pending = [];
    if (points.length > 0) await this.options.logMetrics(points);
    if (this.lastProgress) await this.options.reportProgress(this.lastProgress.percent, this.lastProgress.message);
    this.lastProgress = undefined;
  }
}
