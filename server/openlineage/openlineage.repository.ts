import type { Database } from "../db/database.js";
import { rowSource } from "../db/row-source.js";
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
const FACET_COLUMNS = [
  { name: "node_kind", type: "text" },
  { name: "node_id", type: "uuid" },
  { name: "name", type: "text" },
  { name: "facet", type: "jsonb" },
  { name: "event_time", type: "timestamptz" },
];

/** The raw event store (deduplicated by hash) and the current facets of nodes. */
export class OpenLineageRepository {
  constructor(private readonly db: Database) {}

  /** Writes facets in one statement; returns how many rows changed. */
  async upsertFacets(session: SqlSession, writes: FacetWrite[]): Promise<number> {
    // One row per node and name (a statement may not update a row twice): the last write wins.
    const facets = [...new Map(writes.map((write) => [`${write.nodeKind}:${write.nodeId}:${write.name}`, write])).values()];
    if (facets.length === 0) return 0;
    const source = rowSource(
      FACET_COLUMNS,
      facets.map((facet) => [facet.nodeKind, facet.nodeId, facet.name, JSON.stringify(facet.facet), facet.eventTime]),
    );
    return session.execute(
      `INSERT INTO openlineage_facet (node_kind, node_id, name, facet, event_time, updated_at)
       SELECT ${source.select}, now() FROM ${source.from}
       ON CONFLICT (node_kind, node_id, name) DO UPDATE
         SET facet = EXCLUDED.facet, event_time = EXCLUDED.event_time, updated_at = now()
         WHERE openlineage_facet.event_time <= EXCLUDED.event_time AND openlineage_facet.facet <> EXCLUDED.facet`,
      source.params,
    );
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
