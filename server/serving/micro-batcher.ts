/** One output tensor's values for some rows: `data` holds rows × (product of dims[1..]) values. */
export interface OutputSlice {
  data: ArrayLike<number | bigint>;
  /** [rows, ...per-row dims]. */
  dims: readonly number[];
}

/** Output name → tensor of one batch (or of one request's rows after the split). */
export type BatchOutputs = Record<string, OutputSlice>;

/** Runs the model once on `rowCount` rows of `width` row-major values. */
export type BatchRunner = (values: Float32Array, rowCount: number) => Promise<BatchOutputs>;

export interface MicroBatcherOptions {
  /** Row width of the input tensor. */
  width: number;
  /** How long the first request of a batch waits for more, in µs; 0: only those of the same event-loop turn. */
  windowMicros: number;
  /** A batch runs at once when it holds this many rows (a larger single request runs alone). */
  maxRows: number;
  /** Called after every run with the number of rows and requests it carried (metrics, tests). */
  onBatch?: (rows: number, requests: number) => void;
}

interface Pending {
  values: Float32Array;
  rowCount: number;
  resolve(outputs: BatchOutputs): void;
  reject(error: unknown): void;
}

function sliceRows(output: OutputSlice, start: number, count: number, total: number): OutputSlice {
  const perRow = total === 0 ? 0 : output.data.length / total;
  const data = output.data as unknown as { subarray?: (a: number, b: number) => ArrayLike<number | bigint> };
  const from = start * perRow;
  const to = (start + count) * perRow;
  return {
    data: data.subarray ? data.subarray(from, to) : Array.prototype.slice.call(output.data, from, to),
    dims: [count, ...output.dims.slice(1)],
  };
}

/**
 * Collects concurrent requests to one model version into one `run` call: the first request of a
 * batch waits at most `windowMicros` (or until `maxRows` rows are queued), then all queued rows are
 * concatenated, run once, and each request receives its own rows of every output.
 */
export class MicroBatcher {
  private queue: Pending[] = [];
  private queuedRows = 0;
  private timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  private running = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly run: BatchRunner,
    private readonly options: MicroBatcherOptions,
  ) {}

  /** Batches currently running. */
  get inFlight(): number {
    return this.running;
  }

  submit(values: Float32Array, rowCount: number): Promise<BatchOutputs> {
    return new Promise<BatchOutputs>((resolve, reject) => {
      this.queue.push({ values, rowCount, resolve, reject });
      this.queuedRows += rowCount;
      if (this.queuedRows >= this.options.maxRows) {
        this.flush();
      } else if (this.timer === undefined) {
        this.timer =
          this.options.windowMicros === 0
            ? setImmediate(() => this.flush())
            : setTimeout(() => this.flush(), this.options.windowMicros / 1_000);
      }
    });
  }

  /** Resolves once nothing is queued or running (before a session is released). */
  idle(): Promise<void> {
    if (this.queue.length === 0 && this.running === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private clearTimer(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer as NodeJS.Timeout);
    clearImmediate(this.timer as NodeJS.Immediate);
    this.timer = undefined;
  }

  private flush(): void {
    this.clearTimer();
    while (this.queue.length > 0) {
      // Take whole requests up to maxRows rows (at least one request).
      const batch: Pending[] = [];
      let rows = 0;
      while (this.queue.length > 0 && (batch.length === 0 || rows + this.queue[0]!.rowCount <= this.options.maxRows)) {
        const next = this.queue.shift()!;
        batch.push(next);
        rows += next.rowCount;
      }
      this.queuedRows -= rows;
      void this.runBatch(batch, rows);
    }
  }

  private async runBatch(batch: Pending[], rows: number): Promise<void> {
    this.running += 1;
    try {
      let values: Float32Array;
      if (batch.length === 1) {
        values = batch[0]!.values;
      } else {
        values = new Float32Array(rows * this.options.width);
        let offset = 0;
        for (const item of batch) {
          values.set(item.values, offset);
          offset += item.values.length;
        }
      }
      const outputs = await this.run(values, rows);
      this.options.onBatch?.(rows, batch.length);
      let start = 0;
      for (const item of batch) {
        const own: BatchOutputs = {};
        for (const [name, output] of Object.entries(outputs)) own[name] = sliceRows(output, start, item.rowCount, rows);
        start += item.rowCount;
        item.resolve(own);
      }
    } catch (error) {
      for (const item of batch) item.reject(error);
    } finally {
      this.running -= 1;
      if (this.running === 0 && this.queue.length === 0) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const resolve of waiters) resolve();
      }
    }
  }
}
