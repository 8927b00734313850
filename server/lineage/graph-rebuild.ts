import type { LineageStore } from "../../graph/lineage-store.js";
import type { GraphProjectionRepository } from "./graph-projection.repository.js";

/** What a rebuild needs of the graph store: empty it, then record every edge again. */
export interface RebuildableGraphStore extends Pick<LineageStore, "recordEdges"> {
  deleteAll(): Promise<void>;
}

export interface RebuildProgress {
  edges: number;
  total: number;
}

export interface RebuildResult {
  edges: number;
  /** The outbox position the projection resumes from. */
  position: number;
}

const FIRST_UUID = "00000000-0000-0000-0000-000000000000";

/**
 * Re-projects the whole lineage graph from the Postgres system of record: empties the graph store,
 * records every edge of `lineage_edge` in id order, and sets the projection's checkpoint to the
 * outbox head read before the edges were. Rows written after that head are replayed by the
 * projector afterwards, which is harmless (recording an edge again changes nothing). Holds the
 * projection's checkpoint lock throughout, so running projectors pause instead of racing it.
 */
export async function rebuildGraphProjection(
  projection: GraphProjectionRepository,
  store: RebuildableGraphStore,
  projectionName: string,
  options: { batchSize?: number; onProgress?: (progress: RebuildProgress) => void } = {},
): Promise<RebuildResult> {
  const batchSize = options.batchSize ?? 5_000;
  let recorded = 0;
  const position = await projection.withLockedCheckpoint(projectionName, { wait: true }, async (locked) => {
    const head = await projection.head();
    const total = await projection.edgeCount();
    options.onProgress?.({ edges: 0, total });
    await store.deleteAll();
    let after = FIRST_UUID;
    for (;;) {
      const edges = await locked.edgesAfter(after, batchSize);
      const last = edges.at(-1);
      if (!last) break;
      await store.recordEdges(edges);
      recorded += edges.length;
      after = last.id;
      options.onProgress?.({ edges: recorded, total: Math.max(total, recorded) });
    }
    return head;
  });
  return { edges: recorded, position: position ?? 0 };
}
