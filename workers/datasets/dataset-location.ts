import { isAbsolute } from "node:path";
import { fileURLToPath } from "node:url";

/** Dataset formats the training worker reads. */
export const TRAINABLE_FORMATS = ["CSV", "PARQUET"] as const;
export type TrainableFormat = (typeof TRAINABLE_FORMATS)[number];

export function isTrainableFormat(format: string): format is TrainableFormat {
  return (TRAINABLE_FORMATS as readonly string[]).includes(format);
}

/**
 * The local file a dataset version's URI names — a `file:` URI (`file:///data/x.csv`) or an
 * absolute path — or undefined for anything else (s3://, http://, a file:// URI with a remote host,
 * a relative path, which would depend on the worker's working directory).
 */
export function localPathOf(uri: string): string | undefined {
  if (/^file:/i.test(uri)) {
    try {
      return fileURLToPath(uri);
    } catch {
      return undefined;
    }
  }
  return isAbsolute(uri) ? uri : undefined;
}
