import { createReadStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { CsvError, parse } from "csv-parse";
import type { ColumnRequest } from "./column-accumulators.js";
import { DatasetReadError } from "./dataset-errors.js";
import { type DatasetTable, type ReadLimits, TableBuilder, locateColumns } from "./table.js";

interface ParsedRecord {
  record: string[];
  info: { lines: number };
}

/**
 * Streams a CSV file (header row first, comma-separated, RFC 4180 quoting, UTF-8 with or without
 * BOM) and keeps only the requested columns, converting cells as they arrive.
 */
export async function readCsvColumns(
  path: string,
  requests: readonly ColumnRequest[],
  limits: ReadLimits,
): Promise<DatasetTable> {
  const parser = parse({ bom: true, skip_empty_lines: true, info: true });
  const reading = pipeline(createReadStream(path), parser);
  // Leaving the loop early (a bad cell) destroys the parser; that rejection is expected, not unhandled.
  reading.catch(() => undefined);
  let indices: number[] | undefined;
  let builder: TableBuilder | undefined;
  let rows = 0;
  try {
    for await (const entry of parser as AsyncIterable<ParsedRecord>) {
      const { record, info } = entry;
      if (!indices || !builder) {
        indices = locateColumns(path, record, requests);
        builder = new TableBuilder(path, requests, limits);
        continue;
      }
      builder.checkRowCount(rows + 1);
      for (let k = 0; k < indices.length; k++) builder.set(k, rows, record[indices[k]!], () => `(line ${info.lines})`);
      rows += 1;
    }
    await reading;
  } catch (error) {
    if (error instanceof DatasetReadError) throw error;
    if (error instanceof CsvError) throw new DatasetReadError(`Dataset file ${path} is not valid CSV: ${error.message}`);
    throw error;
  }
  if (!builder) throw new DatasetReadError(`Dataset file ${path} is empty: a CSV file needs a header row naming its columns.`);
  return builder.finish(rows);
}
