import type pg from "pg";
import { z } from "zod";
import { LINEAGE_EDGE_KINDS, LINEAGE_NODE_TYPES, type LineageGraphEdge } from "../../graph/lineage-store.js";
import { PostgresLineageStore } from "../../graph/postgres/postgres-lineage-store.js";
import type { Database } from "../db/database.js";
import { withPooledTransaction } from "../db/sql-session.js";

const nodeKey = z.object({ type: z.enum(LINEAGE_NODE_TYPES), id: z.string() });
const edgeJson = z.object({
  id: z.string(),
  upstream: nodeKey,
  downstream: nodeKey,
  kind: z.enum(LINEAGE_EDGE_KINDS),
  role: z.string().nullable(),
  properties: z.record(z.string(), z.unknown()),
  validFrom: z.string(),
  validTo: z.string().nullable(),
});
const outboxPayload = z.object({ addedEdges: z.array(edgeJson), closedEdges: z.array(edgeJson) });

/** One outbox row as the projector needs it: its position and the edge changes, in order. */
export interface OutboxEdgeChanges {
  position: number;
  createdAt: Date;
  edges: LineageGraphEdge[];
}

export interface ProjectionLag {
  /** Outbox rows written but not yet applied. */
  rows: number;
  /** Age of the oldest unapplied row (0 when none). */
  seconds: number;
}

/** The outbox as seen from inside a projection's checkpoint lock. */
export interface LockedProjection {
  /** The checkpoint: the last outbox position applied. */
  position: number;
  changesAfter(position: number, limit: number): Promise<OutboxEdgeChanges[]>;
  /** Edges of the system of record in id order after `afterId` (a rebuild's source). */
  edgesAfter(afterId: string, limit: number): Promise<LineageGraphEdge[]>;
}

interface OutboxRow {
  id: number;
  created_at: Date;
  payload: unknown;
}

function toEdge(edge: z.infer<typeof edgeJson>): LineageGraphEdge {
  return { ...edge, validFrom: new Date(edge.validFrom), validTo: edge.validTo ? new Date(edge.validTo) : null };
}

async function queryChangesAfter(client: pg.ClientBase, position: number, limit: number): Promise<OutboxEdgeChanges[]> {
  const { rows } = await client.query<OutboxRow>(
    "SELECT id, created_at, payload FROM graph_outbox WHERE id > $1 ORDER BY id LIMIT $2",
    [position, limit],
  );
  return rows.map((row) => {
    const payload = outboxPayload.parse(row.payload);
    return {
      position: Number(row.id),
      createdAt: row.created_at,
      // Added before closed: an edge added and closed by one change ends closed.
      edges: [...payload.addedEdges, ...payload.closedEdges].map(toEdge),
    };
  });
}

/**
 * Reads the graph outbox in order and keeps each projection's checkpoint. Work on a projection
 * happens under a row lock on its checkpoint, so that of several API or worker processes only one
 * projects at a time, and a rebuild excludes them all.
 */
export class GraphProjectionRepository {
  constructor(private readonly db: Database) {}

  async checkpoint(projection: string): Promise<number> {
    const { rows } = await this.db.pool.query<{ position: number }>(
      "SELECT position FROM graph_projection_checkpoint WHERE projection = $1",
      [projection],
    );
    return rows[0] ? Number(rows[0].position) : 0;
  }

  /** Edges in the system of record (for a rebuild's progress). */
  async edgeCount(): Promise<number> {
    const { rows } = await this.db.pool.query<{ count: number }>("SELECT count(*)::int AS count FROM lineage_edge");
    return Number(rows[0]?.count ?? 0);
  }

  /** The newest outbox position (0 when the outbox is empty). */
  async head(): Promise<number> {
    const { rows } = await this.db.pool.query<{ head: number | null }>("SELECT max(id) AS head FROM graph_outbox");
    return Number(rows[0]?.head ?? 0);
  }

  /**
   * Runs `work` holding the projection's checkpoint lock, then saves the position it returns, all
   * in one transaction. `wait: false` gives up at once (returns undefined) when another process
   * holds the lock. The work should keep the lock for seconds at most, except a rebuild.
   */
  async withLockedCheckpoint(
    projection: string,
    options: { wait: boolean },
    work: (locked: LockedProjection) => Promise<number>,
  ): Promise<number | undefined> {
    return withPooledTransaction(this.db, async (client) => {
      await client.query("INSERT INTO graph_projection_checkpoint (projection) VALUES ($1) ON CONFLICT (projection) DO NOTHING", [
        projection,
      ]);
      const { rows } = await client.query<{ position: number }>(
        `SELECT position FROM graph_projection_checkpoint WHERE projection = $1 FOR UPDATE${options.wait ? "" : " SKIP LOCKED"}`,
        [projection],
      );
      const locked = rows[0];
      // Another process holds it (the row existed, so the insert above changed nothing).
      if (!locked) return undefined;
      const position = Number(locked.position);
      const next = await work({
        position,
        changesAfter: (after, limit) => queryChangesAfter(client, after, limit),
        edgesAfter: (afterId, limit) => new PostgresLineageStore(client).edgesAfter(afterId, limit),
      });
      if (next !== position) {
        await client.query("UPDATE graph_projection_checkpoint SET position = $2, updated_at = now() WHERE projection = $1", [
          projection,
          next,
        ]);
      }
      return next;
    });
  }

  /** How far a projection is behind: unapplied rows, and the age of the oldest one. */
  async lag(projection: string, now = new Date()): Promise<ProjectionLag & { position: number; head: number }> {
    const { rows } = await this.db.pool.query<{ position: number; head: number; rows: number; oldest: Date | null }>(
      `WITH checkpoint AS (
         SELECT coalesce((SELECT position FROM graph_projection_checkpoint WHERE projection = $1), 0) AS position
       )
       SELECT checkpoint.position,
              coalesce((SELECT max(id) FROM graph_outbox), 0) AS head,
              (SELECT count(*) FROM graph_outbox WHERE id > checkpoint.position)::int AS rows,
              (SELECT created_at FROM graph_outbox WHERE id > checkpoint.position ORDER BY id LIMIT 1) AS oldest
         FROM checkpoint`,
      [projection],
    );
    const row = rows[0];
    const oldest = row?.oldest ?? null;
    return {
      position: Number(row?.position ?? 0),
      head: Number(row?.head ?? 0),
      rows: Number(row?.rows ?? 0),
      seconds: oldest ? Math.max(0, (now.getTime() - oldest.getTime()) / 1_000) : 0,
    };
  }
}
