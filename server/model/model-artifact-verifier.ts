import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import * as ort from "onnxruntime-node";
import { localPathOf } from "../../workers/datasets/dataset-location.js";

export type ModelVersionStatus = "PENDING" | "READY" | "FAILED";

/** What an artifact check found: READY, or why not (PENDING: cannot be checked here yet; FAILED: checked and wrong). */
export interface ArtifactCheck {
  status: ModelVersionStatus;
  reason: string | null;
}

/** Largest artifact the registry reads to verify (2 GiB, onnxruntime's protobuf limit). */
export const MAX_VERIFIED_ARTIFACT_BYTES = 2 * 1024 * 1024 * 1024 - 1;

function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // onnxruntime messages can run long and name internals; the first line says what is wrong.
  return message.split("\n")[0]!.slice(0, 300);
}

/**
 * Decides whether a model version may serve: its artifact is a local ONNX file (file:// URI or an
 * absolute path, as the serving and batch workers load it), its bytes hash to the registered
 * SHA-256, and onnxruntime opens it. Never throws: the outcome is the version's status.
 */
export async function checkModelArtifact(artifactUri: string, artifactSha256: string): Promise<ArtifactCheck> {
  const path = localPathOf(artifactUri);
  if (!path) {
    return {
      status: "PENDING",
      reason: `The artifact "${artifactUri}" is not a local file (file:// URI or absolute path), so it cannot be verified or served.`,
    };
  }
  let bytes: Buffer;
  try {
    const info = await stat(path);
    if (!info.isFile()) return { status: "FAILED", reason: `The artifact "${artifactUri}" is not a file.` };
    if (info.size > MAX_VERIFIED_ARTIFACT_BYTES) {
      return { status: "FAILED", reason: `The artifact "${artifactUri}" is larger than 2 GiB.` };
    }
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "ENOENT"
      ? { status: "PENDING", reason: `The artifact file "${artifactUri}" does not exist (yet).` }
      : { status: "FAILED", reason: `The artifact file "${artifactUri}" cannot be read (${code ?? messageOf(error)}).` };
  }
  const actual = createHash("sha256").update(bytes).digest("hex");
  if (actual !== artifactSha256.toLowerCase()) {
    return {
      status: "FAILED",
      reason: `The artifact's SHA-256 is ${actual}, not the registered ${artifactSha256}.`,
    };
  }
  try {
    const session = await ort.InferenceSession.create(bytes);
    await session.release();
  } catch (error) {
    return { status: "FAILED", reason: `The artifact does not load as an ONNX model: ${messageOf(error)}` };
  }
  return { status: "READY", reason: null };
}
