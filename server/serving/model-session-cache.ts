import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import * as ort from "onnxruntime-node";
import { localPathOf } from "../../workers/datasets/dataset-location.js";
import type { ModelVersionRecord } from "../model/model-version.repository.js";
import { type BatchOutputs, MicroBatcher } from "./micro-batcher.js";
import { type ServableSignature, parseServableSignature } from "./model-signature.js";
import { ModelNotServableError } from "./serving.errors.js";

/** Largest artifact the predict path loads (onnxruntime's protobuf limit). */
const MAX_ARTIFACT_BYTES = 2 * 1024 * 1024 * 1024 - 1;
const EVICTION_GRACE_MS = 1_000;

/** A model version ready to answer: its onnxruntime session behind a micro-batcher. */
export interface LoadedModel {
  modelVersionId: string;
  signature: ServableSignature;
  session: ort.InferenceSession;
  batcher: MicroBatcher;
}

export interface ModelSessionCacheOptions {
  maxSessions: number;
  batchWindowMicros: number;
  maxBatchRows: number;
  /** After each session.run: the version, rows and requests it carried. */
  onBatch?: (modelVersionId: string, rows: number, requests: number) => void;
  /** A released session's failure to release (logged by the owner). */
  onReleaseError?: (error: unknown) => void;
}

function toNumbers(data: ort.Tensor["data"]): ArrayLike<number | bigint> {
  return data as ArrayLike<number | bigint>;
}

/**
 * onnxruntime sessions per model version, bounded (least recently used released first). The first
 * request for a version loads its artifact, checks its SHA-256 against the registry once and opens
 * the session; concurrent first requests share that one load. A failed load is not cached, so a
 * fixed artifact serves on the next request.
 */
export class ModelSessionCache {
  private readonly entries = new Map<string, Promise<LoadedModel>>();
  private closed = false;

  constructor(private readonly options: ModelSessionCacheOptions) {}

  /** Number of sessions loaded or loading. */
  get size(): number {
    return this.entries.size;
  }

  acquire(version: ModelVersionRecord, shownAs: string): Promise<LoadedModel> {
    const existing = this.entries.get(version.id);
    if (existing) {
      // Re-insert: Map iteration order is the LRU order.
      this.entries.delete(version.id);
      this.entries.set(version.id, existing);
      return existing;
    }
    if (this.closed) return Promise.reject(new ModelNotServableError(shownAs, "the server is shutting down."));
    const loading = this.load(version, shownAs);
    this.entries.set(version.id, loading);
    loading.catch(() => {
      if (this.entries.get(version.id) === loading) this.entries.delete(version.id);
    });
    this.evictBeyondLimit();
    return loading;
  }

  /** Releases every session once its queued and running batches are done. */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(all.map((entry) => this.release(entry)));
  }

  private evictBeyondLimit(): void {
    while (this.entries.size > this.options.maxSessions) {
      const [oldestId, oldest] = this.entries.entries().next().value as [string, Promise<LoadedModel>];
      this.entries.delete(oldestId);
      // A request may hold the evicted model between acquire and submit: give it time to queue.
      void this.release(oldest, EVICTION_GRACE_MS);
    }
  }

  private async release(entry: Promise<LoadedModel>, graceMs = 0): Promise<void> {
    let model: LoadedModel;
    try {
      model = await entry;
    } catch {
      return;
    }
    if (graceMs > 0) await new Promise((resolve) => setTimeout(resolve, graceMs));
    await model.batcher.idle();
    try {
      await model.session.release();
    } catch (error) {
      this.options.onReleaseError?.(error);
    }
  }

  private async load(version: ModelVersionRecord, shownAs: string): Promise<LoadedModel> {
    const signature = parseServableSignature(version.signature, shownAs);
    const bytes = await readArtifact(version, shownAs);
    let session: ort.InferenceSession;
    try {
      // One thread per run: micro-batches are small, and concurrent batches already use the cores.
      session = await ort.InferenceSession.create(bytes, {
        intraOpNumThreads: 1,
        interOpNumThreads: 1,
        graphOptimizationLevel: "all",
      });
    } catch {
      throw new ModelNotServableError(shownAs, "its artifact does not load as an ONNX model.");
    }
    if (!session.inputNames.includes(signature.inputName)) {
      await session.release();
      throw new ModelNotServableError(shownAs, `its ONNX graph has no input "${signature.inputName}" as its signature says.`);
    }
    const width = signature.featureNames.length;
    const batcher = new MicroBatcher(
      async (values, rowCount): Promise<BatchOutputs> => {
        const feeds = { [signature.inputName]: new ort.Tensor("float32", values, [rowCount, width]) };
        const results = await session.run(feeds);
        const outputs: BatchOutputs = {};
        for (const [name, tensor] of Object.entries(results)) outputs[name] = { data: toNumbers(tensor.data), dims: tensor.dims };
        return outputs;
      },
      {
        width,
        windowMicros: this.options.batchWindowMicros,
        maxRows: this.options.maxBatchRows,
        onBatch: (rows, requests) => this.options.onBatch?.(version.id, rows, requests),
      },
    );
    return { modelVersionId: version.id, signature, session, batcher };
  }
}

/** The artifact's bytes, checked against the registered SHA-256 (also read by the linear explainer). */
export async function readArtifact(version: ModelVersionRecord, shownAs: string): Promise<Buffer> {
  const path = localPathOf(version.artifactUri);
  if (!path) throw new ModelNotServableError(shownAs, "its artifact is not a local file (file:// URI or absolute path).");
  let bytes: Buffer;
  try {
    const info = await stat(path);
    if (!info.isFile() || info.size > MAX_ARTIFACT_BYTES) throw new Error("not a file of servable size");
    bytes = await readFile(path);
  } catch {
    throw new ModelNotServableError(shownAs, "its artifact file cannot be read.");
  }
  const actual = createHash("sha256").update(bytes).digest("hex");
  if (actual !== version.artifactSha256.toLowerCase()) {
    throw new ModelNotServableError(shownAs, "its artifact's SHA-256 does not match the registered one.");
  }
  return bytes;
}
