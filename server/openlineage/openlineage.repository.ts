import type { Database } from "../db/database.js";
import type { Transaction } from "../db/transaction.js";
import type { OpenLineageEventKind, RunEventType } from "./openlineage-event.js";

/** Nodes that carry OpenLineage facets. */
export type FacetNodeKind = "Job" | "Run" | "Dataset" | "DatasetVersion";

export interface StoredEventRef {
  id: string;
  kind: OpenLineageEventKind;
  runId: string | null;
  jobId: string | null;
  datasetId: string | null;
}

export interface NewStoredEvent {
  eventHash: string;
  kind: OpenLineageEventKind;
  eventType: RunEventType | null;
  eventTime: Date;
  namespaceId: string;
  runId: string | null;
  jobId: string | null;
  datasetId: string | null;
  payload: unknown;
}

export interface StoredEvent extends StoredEventRef {
  eventHash: string;
  eventType: string | null;
  eventTime: Date;
  payload: unknown;
  receivedAt: Date;
}

export interface FacetWrite {
  nodeKind: FacetNodeKind;
  nodeId: string;
  name: string;
  facet: unknown;
  eventTime: Date;
}

/** Facet rows newer than what is stored replace it; older ones are dropped (events arrive in any order). */
const UPSERT_FACETS = `
  INSERT INTO openlineage_facet (node_kind, node_id, name, facet, event_time, updated_at)
  SELECT * , now() FROM unnest($1::text[], $2::uuid[], $3::text[], $4::jsonb[], $5::timestamptz[])
  ON CONFLICT (node_kind, node_id, name) DO UPDATE
    SET facet = EXCLUDED.facet, event_time = EXCLUDED.event_time, updated_at = now()
    WHERE openlineage_facet.event_time <= EXCLUDED.event_time AND openlineage_facet.facet <> EXCLUDED.facet`;

/** The raw event store (deduplicated by hash) and the current facets of nodes. */
export class OpenLineageRepository {
  constructor(private readonly db: Database) {}

  async findByHash(tx: Transaction, eventHash: string): Promise<StoredEventRef | null> {
    const row = await tx.openLineageEvent.findUnique({
      where: { eventHash },
      select: { id: true, kind: true, runId: true, jobId: true, datasetId: true },
    });
    return row ? { ...row, kind: row.kind as OpenLineageEventKind } : null;
  }

  async insert(tx: Transaction, event: NewStoredEvent): Promise<string> {
    const row = await tx.openLineageEvent.create({ data: { ...event, payload: event.payload as object }, select: { id: true } });
    return row.id;
  }

  /** Type and time of every stored event of a run (its state is folded from them). */
  runEventStates(tx: Transaction, runId: string): Promise<Array<{ eventType: string | null; eventTime: Date }>> {
    return tx.openLineageEvent.findMany({ where: { runId }, select: { eventType: true, eventTime: true } });
  }

  /** Payload and time of every stored event of a run, oldest first. */
  runEventPayloads(tx: Transaction, runId: string): Promise<Array<{ eventTime: Date; payload: unknown }>> {
    return tx.openLineageEvent.findMany({
      where: { runId },
      select: { eventTime: true, payload: true },
      orderBy: [{ eventTime: "asc" }, { receivedAt: "asc" }],
    });
  }

  /** Writes facets in one statement; returns how many rows changed. */
  async upsertFacets(tx: Transaction, writes: FacetWrite[]): Promise<number> {
    // One row per node and name (a statement may not update a row twice): the last write wins.
    const facets = [...new Map(writes.map((write) => [`${write.nodeKind}:${write.nodeId}:${write.name}`, write])).values()];
    if (facets.length === 0) return 0;
    return tx.$executeRawUnsafe(
      UPSERT_FACETS,
      facets.map((facet) => facet.nodeKind),
      facets.map((facet) => facet.nodeId),
      facets.map((facet) => facet.name),
      facets.map((facet) => JSON.stringify(facet.facet)),
      facets.map((facet) => facet.eventTime),
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
}
