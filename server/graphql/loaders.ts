import type { Repositories } from "../repositories.js";
import { byKeyLoader } from "./by-key-loader.js";

/** Per-request DataLoaders: each batches the lookups of one tick into one SQL statement. */
export function createLoaders(repos: Repositories) {
  return {
    namespaceById: byKeyLoader((ids) => repos.namespaces.findByIds(ids), (row) => row.id),
    datasetById: byKeyLoader((ids) => repos.datasets.findByIds(ids), (row) => row.id),
    datasetVersionById: byKeyLoader((ids) => repos.datasets.findVersionsByIds(ids), (row) => row.id),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
