import DataLoader from "dataloader";
import { childrenLoader } from "../graphql/by-key-loader.js";
import type { FacetNodeKind, OpenLineageRepository } from "./openlineage.repository.js";

/**
 * Per-request DataLoaders for the OpenLineage fields: the facets of every node of one kind asked in
 * a tick come in one statement, and so do the raw events of every run.
 */
export function openLineageLoaders(store: OpenLineageRepository) {
  const facetsLoader = (kind: FacetNodeKind) =>
    new DataLoader<string, Record<string, unknown>>(async (ids) => {
      const byNode = await store.facetsOf(kind, ids);
      return ids.map((id) => byNode.get(id) ?? {});
    });
  const facets: Record<FacetNodeKind, DataLoader<string, Record<string, unknown>>> = {
    Job: facetsLoader("Job"),
    Run: facetsLoader("Run"),
    Dataset: facetsLoader("Dataset"),
    DatasetVersion: facetsLoader("DatasetVersion"),
  };
  return {
    facets,
    /** Other identifiers of each dataset (the `symlinks` facet). */
    symlinksByDatasetId: childrenLoader(
      (ids) => store.symlinksOf(ids),
      (symlink) => symlink.datasetId,
    ),
    /** Stored events of each run, oldest event time first (the order the statement returns). */
    eventsByRunId: childrenLoader(
      (ids) => store.eventsOfRuns(ids),
      // Only events with a run are asked for by run id.
      (event) => event.runId ?? "",
    ),
  };
}
