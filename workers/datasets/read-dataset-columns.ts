import { stat } from "node:fs/promises";
import type { ColumnRequest } from "./column-accumulators.js";
import { readCsvColumns } from "./csv-columns.js";
import { DatasetReadError } from "./dataset-errors.js";
import type { TrainableFormat } from "./dataset-location.js";
import { readParquetColumns } from "./parquet-columns.js";
import type { DatasetTable, ReadLimits } from "./table.js";

export type { ColumnRequest, ColumnValues } from "./column-accumulators.js";
export type { DatasetTable, ReadLimits } from "./table.js";

function errorCode(error: unknown): string | undefined {
  return typeof error === "object" && error !== null && "code" in error ? String(error.code) : undefined;
}

/** Checks the file before reading, so that a missing file gets a plain message rather than an errno. */
async function requireReadableFile(path: string): Promise<void> {
  let isFile: boolean;
  try {
    isFile = (await stat(path)).isFile();
  } catch (error) {
    const code = errorCode(error);
    if (code === "ENOENT" || code === "ENOTDIR") throw new DatasetReadError(`Dataset file ${path} does not exist.`);
    if (code === "EACCES" || code === "EPERM")
      throw new DatasetReadError(`Dataset file ${path} cannot be read (permission denied).`);
    throw error;
  }
  if (!isFile) throw new DatasetReadError(`Dataset file ${path} is not a regular file.`);
}

/**
 * Reads the requested columns of a local CSV or Parquet file. Every problem with the file or its
 * cells is a DatasetReadError naming the file, the column and the 1-based data row.
 */
export async function readDatasetColumns(
  source: { path: string; format: TrainableFormat },
  requests: readonly ColumnRequest[],
  limits: ReadLimits = {},
): Promise<DatasetTable> {
  await requireReadableFile(source.path);
  try {
    return source.format === "CSV"
      ? await readCsvColumns(source.path, requests, limits)
      : await readParquetColumns(source.path, requests, limits);
  } catch (error) {
    if (error instanceof DatasetReadError) throw error;
    const code = errorCode(error);
    if (code === "EACCES" || code === "EPERM") {
      throw new DatasetReadError(`Dataset file ${source.path} cannot be read (permission denied).`);
    }
    throw error;
  }
}
