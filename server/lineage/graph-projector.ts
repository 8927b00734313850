import type { LineageStore } from "../../graph/lineage-store.js";
import type { GraphProjectionRepository, ProjectionLag } from "./graph-projection.repository.js";

export interface ProjectionProgress {
  /** Outbox rows applied by this call. */
  rows: number;
  /** The checkpoint after it. */
  position: number;
  /** True when another process held the projection, so this call did nothing. */
  busy: boolean;
}

/**
 * Applies the graph outbox to a lineage store (Neo4j) in outbox order, a batch at a time, under
 * the projection's checkpoint lock. Edges are recorded first and the checkpoint saved after, so a
 * crash in between replays the batch — harmless, because recording an edge again changes nothing.
 */
export class GraphProjector {
  constructor(
    private readonly projection: GraphProjectionRepository,
    private readonly store: Pick<LineageStore, "recordEdges" | "name">,
    readonly name = store.name,
  ) {}

  async projectBatch(batchSize = 500): Promise<ProjectionProgress> {
    let rows = 0;
    const position = await this.projection.withLockedCheckpoint(this.name, { wait: false }, async (locked) => {
      const changes = await locked.changesAfter(locked.position, batchSize);
      const last = changes.at(-1);
      if (!last) return locked.position;
      await this.store.recordEdges(changes.flatMap((change) => change.edges));
      rows = changes.length;
      return last.position;
    });
    if (position === undefined) return { rows: 0, position: await this.projection.checkpoint(this.name), busy: true };
    return { rows, position, busy: false };
  }

  /** Projects batches until the outbox is drained; returns the rows applied. */
  async projectUntilIdle(batchSize = 500): Promise<number> {
    let total = 0;
    for (;;) {
      const { rows } = await this.projectBatch(batchSize);
      if (rows === 0) return total;
      total += rows;
    }
  }

  lag(): Promise<ProjectionLag & { position: number; head: number }> {
    return this.projection.lag(this.name);
  }
}
