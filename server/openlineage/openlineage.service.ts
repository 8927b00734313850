import type { ChangeRecorder } from "../audit/change-recorder.js";
import type { ColumnLineageService } from "../dataset/column-lineage.service.js";
import type { Database } from "../db/database.js";
import type { Logger } from "../lib/logger.js";
import { type BatchEntry, type BatchOutcome, OpenLineageBatchApplier } from "./openlineage-batch.js";
import { OpenLineageBatchRepository } from "./openlineage-batch.repository.js";
import { OpenLineageGroupCommit } from "./openlineage-group-commit.js";
import type { OpenLineageRepository } from "./openlineage.repository.js";

export type { BatchEntry, BatchOutcome, IngestResult } from "./openlineage-batch.js";

/** Most events one ingestion transaction applies (larger batches gained nothing on 2 cores). */
export const DEFAULT_APPLY_BATCH_EVENTS = 1_000;

/**
 * OpenLineage ingestion. Events from concurrent requests are applied together, a batch per
 * transaction (group commit): namespaces, jobs, runs, datasets, versions, lineage edges, raw
 * events, facets and the chained audit entries of every change are written set-based, so a
 * batch costs a fixed number of statements. Each event keeps its own outcome; the raw event is
 * stored under the hash of its canonical JSON, so the same event twice changes nothing, and a
 * run's state is folded from all its events, so arrival order does not matter.
 */
export class OpenLineageService {
  private readonly groupCommit: OpenLineageGroupCommit;

  constructor(
    db: Database,
    store: OpenLineageRepository,
    recorder: ChangeRecorder,
    columnLineage: ColumnLineageService,
    logger: Logger,
    applyBatchEvents = DEFAULT_APPLY_BATCH_EVENTS,
  ) {
    const applier = new OpenLineageBatchApplier(new OpenLineageBatchRepository(), store, recorder);
    this.groupCommit = new OpenLineageGroupCommit(db, applier, columnLineage, logger, applyBatchEvents);
  }

  /** Applies events (each already validated and authorized) in arrival order; one outcome per event. */
  ingest(entries: readonly BatchEntry[]): Promise<BatchOutcome[]> {
    return this.groupCommit.submit(entries);
  }
}
