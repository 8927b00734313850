import { createHash, randomUUID } from "node:crypto";
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import { join, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** A stored artifact: where it is and what it is. */
export interface StoredArtifact {
  /** file:// URI of the stored file (what the registry records). */
  uri: string;
  path: string;
  /** Lowercase hex SHA-256 of the bytes; also the file's name. */
  sha256: string;
  sizeBytes: number;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * Content-addressed artifact files in one local folder: `<sha256>.<extension>`. A file appears
 * whole or not at all (written to a temporary file, flushed, then renamed), so a worker that dies
 * mid-write leaves no half artifact under the final name; writing the same bytes twice is a no-op.
 */
export class ArtifactStore {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  async put(bytes: Uint8Array, extension: string): Promise<StoredArtifact> {
    if (!/^[a-z0-9]{1,16}$/.test(extension))
      throw new RangeError(`artifact extension must be 1–16 lowercase letters or digits; got "${extension}"`);
    const sha256 = sha256Hex(bytes);
    const path = join(this.dir, `${sha256}.${extension}`);
    const stored = { uri: pathToFileURL(path).href, path, sha256, sizeBytes: bytes.byteLength };
    if (await this.holds(path, sha256)) return stored;
    await mkdir(this.dir, { recursive: true });
    const temporary = join(this.dir, `.${sha256}.${process.pid}.${randomUUID()}.tmp`);
    try {
      const handle = await open(temporary, "wx");
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      // Atomic within a file system; two writers of the same content both rename identical bytes.
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    return stored;
  }

  /** The local path of an artifact URI of this store; undefined for any other URI. */
  pathOf(uri: string): string | undefined {
    if (!uri.startsWith("file:")) return undefined;
    let path: string;
    try {
      path = fileURLToPath(uri);
    } catch {
      return undefined;
    }
    return path.startsWith(this.dir + sep) ? path : undefined;
  }

  /** True when the file exists with exactly these bytes (a damaged copy is written again). */
  private async holds(path: string, sha256: string): Promise<boolean> {
    try {
      return sha256Hex(await readFile(path)) === sha256;
    } catch {
      return false;
    }
  }
}
