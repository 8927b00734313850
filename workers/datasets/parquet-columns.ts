import { type FileMetaData, asyncBufferFromFile, parquetMetadataAsync, parquetRead, parquetSchema } from "hyparquet";
import type { ColumnRequest } from "./column-accumulators.js";
import { DatasetReadError } from "./dataset-errors.js";
import { type DatasetTable, type ReadLimits, TableBuilder, locateColumns } from "./table.js";

function corrupt(path: string, error: unknown): DatasetReadError {
  const reason = error instanceof Error ? error.message : String(error);
  return new DatasetReadError(`Dataset file ${path} is not a readable Parquet file: ${reason}`);
}

/**
 * Reads the requested top-level columns of a Parquet file one row group at a time, so that only one
 * group's column chunks are in memory besides the values kept (uncompressed or Snappy).
 */
export async function readParquetColumns(
  path: string,
  requests: readonly ColumnRequest[],
  limits: ReadLimits,
): Promise<DatasetTable> {
  const file = await asyncBufferFromFile(path);
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (error) {
    throw corrupt(path, error);
  }
  const fileColumns = parquetSchema(metadata).children.map((child) => child.element.name);
  locateColumns(path, fileColumns, requests);
  const rowCount = Number(metadata.num_rows);
  const builder = new TableBuilder(path, requests, limits, rowCount);
  const columnIndex = new Map(requests.map((request, k) => [request.name, k]));

  let groupStart = 0;
  for (const group of metadata.row_groups) {
    const groupEnd = groupStart + Number(group.num_rows);
    // hyparquet calls onChunk from promise callbacks: an error thrown there would be lost, so keep it.
    let problem: unknown;
    try {
      await parquetRead({
        file,
        metadata,
        columns: requests.map((request) => request.name),
        rowStart: groupStart,
        rowEnd: groupEnd,
        onChunk: (chunk) => {
          const k = columnIndex.get(chunk.columnName);
          if (k === undefined || problem) return;
          try {
            const from = Math.max(chunk.rowStart, groupStart);
            const to = Math.min(chunk.rowEnd, groupEnd);
            for (let row = from; row < to; row++) builder.set(k, row, chunk.columnData[row - chunk.rowStart]);
          } catch (error) {
            problem = error;
          }
        },
      });
    } catch (error) {
      throw corrupt(path, error);
    }
    if (problem) throw problem;
    groupStart = groupEnd;
  }
  if (groupStart !== rowCount) {
    throw new DatasetReadError(
      `Dataset file ${path} is corrupt: its row groups hold ${groupStart} rows, its footer says ${rowCount}.`,
    );
  }
  return builder.finish(rowCount);
}
