import type { LineageStore } from "../../graph/lineage-store.js";

/**
 * Opens the graph store (Neo4j) on first use and remembers a failure for `retryAfterMs`, so that
 * while the server is down, reads fall back at once instead of each waiting on a connect attempt.
 */
export class GraphStoreConnection {
  private store: LineageStore | undefined;
  private opening: Promise<LineageStore> | undefined;
  private failure: { error: Error; at: number } | undefined;

  constructor(
    private readonly open: () => Promise<LineageStore>,
    private readonly retryAfterMs = 1_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The open store, or an error saying why there is none. */
  async get(): Promise<LineageStore> {
    if (this.store) return this.store;
    if (this.failure && this.now() - this.failure.at < this.retryAfterMs) throw this.failure.error;
    this.opening ??= this.open()
      .then((store) => {
        this.store = store;
        this.failure = undefined;
        return store;
      })
      .catch((error: unknown) => {
        this.failure = { error: error instanceof Error ? error : new Error(String(error)), at: this.now() };
        throw this.failure.error;
      })
      .finally(() => {
        this.opening = undefined;
      });
    return this.opening;
  }

  async close(): Promise<void> {
    const store = this.store ?? (await this.opening?.catch(() => undefined));
    this.store = undefined;
    await store?.close();
  }
}
