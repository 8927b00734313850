import { z } from "zod";
import type { LineageGraphEdge } from "../../graph/lineage-store.js";
import type { Database } from "../db/database.js";

const nodeKey = z.object({
  type: z.enum(["DATASET_VERSION", "FEATURE", "CODE_COMMIT", "RUN", "MODEL_VERSION", "DEPLOYMENT"]),
  id: z.string(),
});
const edgeJson = z.object({
  id: z.string(),
  upstream: nodeKey,
  downstream: nodeKey,
  kind: z.enum(["CONSUMED", "PRODUCED", "SOURCE_OF", "USED", "BUILT_FROM", "SERVES", "PARENT_OF"]),
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

function toEdge(edge: z.infer<typeof edgeJson>): LineageGraphEdge {
  return { ...edge, validFrom: new Date(edge.validFrom), validTo: edge.validTo ? new Date(edge.validTo) : null };
}

/** Reads the graph outbox in order and keeps each projection's checkpoint. */
export class GraphProjectionRepository {
  constructor(private readonly db: Database) {}

  async checkpoint(projection: string): Promise<number> {
    const row = await this.db.prisma.graphProjectionCheckpoint.findUnique({ where: { projection } });
    return row ? Number(row.position) : 0;
  }

  async saveCheckpoint(projection: string, position: number): Promise<void> {
    await this.db.prisma.graphProjectionCheckpoint.upsert({
      where: { projection },
      create: { projection, position: BigInt(position) },
      update: { position: BigInt(position) },
    });
  }

  /** Outbox rows after `position`, oldest first; added edges before closed ones within a row. */
  async changesAfter(position: number, limit: number): Promise<OutboxEdgeChanges[]> {
    const rows = await this.db.prisma.graphOutbox.findMany({
      where: { id: { gt: BigInt(position) } },
      orderBy: { id: "asc" },
      take: limit,
    });
    return rows.map((row) => {
      const payload = outboxPayload.parse(row.payload);
      return {
        position: Number(row.id),
        createdAt: row.createdAt,
        edges: [...payload.addedEdges, ...payload.closedEdges].map(toEdge),
      };
    });
  }

  /** How far a projection is behind: unapplied rows, and the age of the oldest one. */
  async lag(projection: string, now = new Date()): Promise<{ rows: number; seconds: number }> {
    const position = BigInt(await this.checkpoint(projection));
    const [rows, oldest] = await Promise.all([
      this.db.prisma.graphOutbox.count({ where: { id: { gt: position } } }),
      this.db.prisma.graphOutbox.findFirst({
        where: { id: { gt: position } },
        orderBy: { id: "asc" },
        select: { createdAt: true },
      }),
    ]);
    return { rows, seconds: oldest ? Math.max(0, (now.getTime() - oldest.createdAt.getTime()) / 1_000) : 0 };
  }
}
