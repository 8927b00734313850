import type { Database } from "../db/database.js";
import { multiRowValues } from "../db/multi-row-values.js";
import type { SqlSession } from "../db/sql-session.js";
import type { OpenLineageEventKind } from "./openlineage-event.js";

/** Nodes that carry OpenLineage facets. */
export type FacetNodeKind = "Job" | "Run" | "Dataset" | "DatasetVersion";

export interface StoredEventRef {
  id: string;
  kind: OpenLineageEventKind;
  runId: string | null;
  jobId: string | null;
  datasetId: string | null;
}

export interface StoredEvent extends StoredEventRef {
  eventHash: string;
  eventType: string | null;
  eventTime: Date;
  payload: unknown;
  receivedAt: Date;
}

export interface DatasetSymlinkRecord {
  namespace: string;
  name: string;
  datasetId: string;
  type: string | null;
  createdAt: Date;
}

export interface FacetWrite {
  nodeKind: FacetNodeKind;
  nodeId: string;
  name: string;
  facet: unknown;
  eventTime: Date;
}

/** Facet rows newer than what is stored replace it; older ones are dropped (events arrive in any order). */
const upsertFacetsSql = (values: string) => `
  INSERT INTO openlineage_facet (node_kind, node_id, name, facet, event_time, updated_at)
  SELECT f.*, now() FROM (VALUES ${values}) AS f(node_kind, node_id, name, facet, event_time)
  ON CONFLICT (node_kind, node_id, name) DO UPDATE
    SET facet = EXCLUDED.facet, event_time = EXCLUDED.event_time, updated_at = now()
    WHERE openlineage_facet.event_time <= EXCLUDED.event_time AND openlineage_facet.facet <> EXCLUDED.facet`;

/** The raw event store (deduplicated by hash) and the current facets of nodes. */
export class OpenLineageRepository {
  constructor(private readonly db: Database) {}

  /** Writes facets (a statement per ~6,000); returns how many rows changed. */
  async upsertFacets(session: SqlSession, writes: FacetWrite[]): Promise<number> {
    // One row per node and name (a statement may not update a row twice): the last write wins.
    const facets = [...new Map(writes.map((write) => [`${write.nodeKind}:${write.nodeId}:${write.name}`, write])).values()];
    let changed = 0;
    const chunks = multiRowValues(
      ["text", "uuid", "text", "jsonb", "timestamptz"],
      facets.map((facet) => [facet.nodeKind, facet.nodeId, facet.name, JSON.stringify(facet.facet), facet.eventTime]),
    );
    for (const { values, params } of chunks) changed += await session.execute(upsertFacetsSql(values), params);
    return changed;
  }

  /** Current facets of nodes, as `{ name: facet }` per node id. */
  async facetsOf(nodeKind: FacetNodeKind, nodeIds: readonly string[]): Promise<Map<string, Record<string, unknown>>> {
    const rows = await this.db.prisma.openLineageFacet.findMany({
      where: { nodeKind, nodeId: { in: [...nodeIds] } },
      orderBy: { name: "asc" },
    });
    const byNode = new Map<string, Record<string, unknown>>();
    for (const row of rows) {
      const facets = byNode.get(row.nodeId) ?? {};
      facets[row.name] = row.facet;
      byNode.set(row.nodeId, facets);
    }
    return byNode;
  }

  /** Stored events of runs, oldest event time first. */
  async eventsOfRuns(runIds: readonly string[]): Promise<StoredEvent[]> {
    const rows = await this.db.prisma.openLineageEvent.findMany({
      where: { runId: { in: [...runIds] } },
      orderBy: [{ eventTime: "asc" }, { receivedAt: "asc" }],
    });
    return rows.map((row) => ({ ...row, kind: row.kind as OpenLineageEventKind }));
  }

  /** Other identifiers of datasets (the `symlinks` facet), oldest first. */
  async symlinksOf(datasetIds: readonly string[]): Promise<DatasetSymlinkRecord[]> {
    const rows = await this.db.prisma.datasetSymlink.findMany({
      where: { datasetId: { in: [...datasetIds] } },
      orderBy: [{ createdAt: "asc" }, { namespace: "asc" }, { name: "asc" }],
    });
    return rows;
  }
}
