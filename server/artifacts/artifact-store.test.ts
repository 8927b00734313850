import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ArtifactStore, sha256Hex } from "./artifact-store.js";

describe("artifact store", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "pedigree-artifacts-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("stores bytes under their SHA-256 and returns a file:// URI", async () => {
    const store = new ArtifactStore(join(dir, "a"));
    const bytes = new TextEncoder().encode("onnx bytes");
    const stored = await store.put(bytes, "onnx");
    expect(stored.sha256).toBe(sha256Hex(bytes));
    expect(stored.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.path).toBe(join(dir, "a", `${stored.sha256}.onnx`));
    expect(stored.uri).toBe(`file://${stored.path}`);
    expect(stored.sizeBytes).toBe(bytes.byteLength);
    expect(new Uint8Array(await readFile(stored.path))).toEqual(bytes);
    expect(store.pathOf(stored.uri)).toBe(stored.path);
    expect(store.pathOf("file:///etc/passwd")).toBeUndefined();
    expect(store.pathOf("s3://bucket/x.onnx")).toBeUndefined();
  });

  it("is idempotent, leaves no temporary files, and repairs a damaged copy", async () => {
    const store = new ArtifactStore(join(dir, "b"));
    const bytes = new Uint8Array([1, 2, 3, 4]);
    const [first, second] = await Promise.all([store.put(bytes, "onnx"), store.put(bytes, "onnx")]);
    expect(second).toEqual(first);
    expect(await readdir(join(dir, "b"))).toEqual([`${first.sha256}.onnx`]);

    await writeFile(first.path, "damaged");
    await store.put(bytes, "onnx");
    expect(new Uint8Array(await readFile(first.path))).toEqual(bytes);
  });
});
