import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ModelVersionRecord } from "../model/model-version.repository.js";
import { ModelSessionCache } from "./model-session-cache.js";
import { type ModelArtifactFile, trainLogisticArtifact } from "./serving.fixtures.js";

let dir: string;
let artifacts: ModelArtifactFile[];

function record(id: string, artifact: ModelArtifactFile, sha256 = artifact.sha256): ModelVersionRecord {
  return {
    id,
    modelId: "m",
    version: 1,
    artifactUri: artifact.uri,
    artifactSha256: sha256,
    signature: artifact.signature,
    metrics: {},
    description: null,
    sourceRunId: null,
    createdAt: new Date(),
    updatedAt: new Date(),
  } as ModelVersionRecord;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "pedigree-sessions-"));
  artifacts = [
    await trainLogisticArtifact(dir, { features: 2, seed: 1 }),
    await trainLogisticArtifact(dir, { features: 2, seed: 2 }),
  ];
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("ModelSessionCache", () => {
  it("shares one load among concurrent first requests and keeps at most maxSessions loaded", async () => {
    const cache = new ModelSessionCache({ maxSessions: 1, batchWindowMicros: 0, maxBatchRows: 16 });
    const a = record("a", artifacts[0]!);
    const loads = await Promise.all(Array.from({ length: 8 }, () => cache.acquire(a, "A")));
    expect(new Set(loads).size).toBe(1);
    expect(await cache.acquire(a, "A")).toBe(loads[0]);
    await cache.acquire(record("b", artifacts[1]!), "B");
    expect(cache.size).toBe(1);
    // A was evicted (least recently used): it loads again as a new session.
    expect(await cache.acquire(a, "A")).not.toBe(loads[0]);
    await cache.close();
  });

  it("refuses an artifact whose SHA-256 differs from the registry, and retries the load later", async () => {
    const cache = new ModelSessionCache({ maxSessions: 4, batchWindowMicros: 0, maxBatchRows: 16 });
    await expect(cache.acquire(record("bad", artifacts[0]!, "0".repeat(64)), "BAD")).rejects.toThrow(/SHA-256/);
    expect(cache.size).toBe(0);
    await cache.close();
  });
});
