import type { LineageStore } from "../../graph/lineage-store.js";
import type { GraphProjectionRepository } from "./graph-projection.repository.js";

export interface ProjectionProgress {
  /** Outbox rows applied by this call. */
  rows: number;
  /** The checkpoint after it. */
  position: number;
}

/**
 * Applies the graph outbox to a lineage store (Neo4j) in outbox order, a batch at a time. Edges are
 * recorded first and the checkpoint saved after, so a crash in between replays the batch — which is
 * harmless, because recording an edge again changes nothing.
 */
export class GraphProjector {
  constructor(
    private readonly projection: GraphProjectionRepository,
    private readonly store: LineageStore,
    private readonly name = store.name,
  ) {}

  async projectBatch(batchSize = 500): Promise<ProjectionProgress> {
    const position = await this.projection.checkpoint(this.name);
    const changes = await this.projection.changesAfter(position, batchSize);
    const last = changes.at(-1);
    if (!last) return { rows: 0, position };
    await this.store.recordEdges(changes.flatMap((change) => change.edges));
    await this.projection.saveCheckpoint(this.name, last.position);
    return { rows: changes.length, position: last.position };
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

  lag() {
    return this.projection.lag(this.name);
  }
}
