import { readFileSync } from "node:fs";
import type { Transaction } from "../db/transaction.js";
import type { Database } from "../db/database.js";
import type { InputRole, LineageEdge, LineageEdgeKind, LineageNodeType, NewLineageEdge } from "./lineage-edge.js";

const ADD_CURRENT_EDGES = readFileSync(new URL("./queries/add-current-edges.sql", import.meta.url), "utf8");

interface EdgeRow {
  id: string;
  upstreamType: LineageNodeType;
  upstreamId: string;
  downstreamType: LineageNodeType;
  downstreamId: string;
  kind: LineageEdgeKind;
  role: InputRole | null;
  properties: unknown;
  validFrom: Date;
  validTo: Date | null;
}

function toLineageEdge(row: EdgeRow): LineageEdge {
  return {
    id: row.id,
    upstream: { type: row.upstreamType, id: row.upstreamId },
    downstream: { type: row.downstreamType, id: row.downstreamId },
    kind: row.kind,
    role: row.role ?? undefined,
    properties: (row.properties ?? {}) as Record<string, unknown>,
    validFrom: row.validFrom,
    validTo: row.validTo,
  };
}

/** Reads and writes the lineage edge table (the system of record for the graph). */
export class LineageEdgeRepository {
  constructor(private readonly db: Database) {}

  /** Adds current edges in one statement; an identical current edge (same ends, kind and role) is left as it is. */
  async addCurrent(tx: Transaction, edges: NewLineageEdge[], validFrom: Date): Promise<LineageEdge[]> {
    if (edges.length === 0) return [];
    const rows = await tx.$queryRawUnsafe<EdgeRow[]>(
      ADD_CURRENT_EDGES,
      edges.map((edge) => edge.upstream.type),
      edges.map((edge) => edge.upstream.id),
      edges.map((edge) => edge.downstream.type),
      edges.map((edge) => edge.downstream.id),
      edges.map((edge) => edge.kind),
      edges.map((edge) => edge.role ?? null),
      edges.map((edge) => JSON.stringify(edge.properties ?? {})),
      validFrom,
    );
    return rows.map(toLineageEdge);
  }

  /** Ends the validity of current edges of a kind into a node (e.g. a deployment's SERVES edges). */
  async closeCurrentInto(tx: Transaction, downstreamId: string, kind: LineageEdgeKind, validTo: Date): Promise<LineageEdge[]> {
    const open = await tx.lineageEdge.findMany({ where: { downstreamId, kind, validTo: null } });
    if (open.length === 0) return [];
    await tx.lineageEdge.updateMany({ where: { id: { in: open.map((row) => row.id) } }, data: { validTo } });
    return open.map((row) => toLineageEdge({ ...row, validTo }));
  }

  /** Current edges of the given kind into any of the nodes, for DataLoaders. */
  async currentInto(downstreamIds: readonly string[], kind: LineageEdgeKind): Promise<LineageEdge[]> {
    const rows = await this.db.prisma.lineageEdge.findMany({
      where: { downstreamId: { in: [...downstreamIds] }, kind, validTo: null },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    });
    return rows.map(toLineageEdge);
  }

  /** Current edges of the given kind out of any of the nodes, for DataLoaders. */
  async currentOutOf(upstreamIds: readonly string[], kind: LineageEdgeKind): Promise<LineageEdge[]> {
    const rows = await this.db.prisma.lineageEdge.findMany({
      where: { upstreamId: { in: [...upstreamIds] }, kind, validTo: null },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    });
    return rows.map(toLineageEdge);
  }

  /** SERVES edges out of the model versions that began by `asOf` (open or closed): who served them, when. */
  async servesFrom(modelVersionIds: readonly string[], asOf: Date): Promise<LineageEdge[]> {
    if (modelVersionIds.length === 0) return [];
    const rows = await this.db.prisma.lineageEdge.findMany({
      where: { upstreamId: { in: [...modelVersionIds] }, kind: "SERVES", validFrom: { lte: asOf } },
      orderBy: [{ validFrom: "asc" }, { id: "asc" }],
    });
    return rows.map(toLineageEdge);
  }

  /** SERVES edges into a deployment valid at `asOf`: its traffic split at that instant. */
  async servesIntoAt(deploymentId: string, asOf: Date): Promise<LineageEdge[]> {
    const rows = await this.db.prisma.lineageEdge.findMany({
      where: {
        downstreamId: deploymentId,
        kind: "SERVES",
        validFrom: { lte: asOf },
        OR: [{ validTo: null }, { validTo: { gt: asOf } }],
      },
      orderBy: [{ id: "asc" }],
    });
    return rows.map(toLineageEdge);
  }
}
