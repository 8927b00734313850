import type { DatasetVersionRecord } from "../../../server/dataset/dataset.repository.js";
import type { ColumnRequest } from "../../datasets/column-accumulators.js";
import { DatasetReadError } from "../../datasets/dataset-errors.js";
import { isTrainableFormat, localPathOf } from "../../datasets/dataset-location.js";
import { type ReadLimits, readDatasetColumns } from "../../datasets/read-dataset-columns.js";
import { type TaskKind, type TrainingData, rowMajorFromColumns } from "../../training/index.js";

/** A dataset version read for training: the model's input matrix and target, and the feature columns apart (for baselines). */
export interface LoadedDataset {
  data: TrainingData;
  featureColumns: Float64Array[];
  rowCount: number;
}

function columnRequests(featureColumns: readonly string[], target: string, task: TaskKind): ColumnRequest[] {
  return [
    ...featureColumns.map((name) => ({ name, kind: "numeric" as const, describedAs: `Feature "${name}"` })),
    task === "regression"
      ? { name: target, kind: "numeric" as const, describedAs: `Regression target "${target}"` }
      : { name: target, kind: "label" as const, describedAs: `Class label "${target}"` },
  ];
}

/**
 * Reads the feature columns and the target of a dataset version's local CSV or Parquet file. The
 * location and format were checked when the job was queued; they are checked again here because
 * the record is the only thing the worker trusts.
 */
export async function loadDataset(
  version: DatasetVersionRecord,
  columns: { featureColumns: readonly string[]; target: string },
  task: TaskKind,
  limits: ReadLimits = {},
): Promise<LoadedDataset> {
  const path = localPathOf(version.uri);
  if (!path)
    throw new DatasetReadError(`Dataset version URI "${version.uri}" is not a local file; only local files can be trained on.`);
  if (!isTrainableFormat(version.format)) {
    throw new DatasetReadError(`Dataset version format ${version.format} cannot be trained on; training reads CSV and PARQUET.`);
  }
  const table = await readDatasetColumns(
    { path, format: version.format },
    columnRequests(columns.featureColumns, columns.target, task),
    limits,
  );
  const featureColumns = table.columns.slice(0, -1).map((column) => column as Float64Array);
  return {
    data: {
      featureNames: columns.featureColumns,
      features: rowMajorFromColumns(featureColumns),
      target: table.columns[table.columns.length - 1]!,
      targetName: columns.target,
    },
    featureColumns,
    rowCount: table.rowCount,
  };
}
