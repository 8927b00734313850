import type { SqlSession } from "../db/sql-session.js";
import type { Transaction } from "../db/transaction.js";
import type { RequestMeta } from "../graphql/context.js";
import type { NodeKind } from "../graphql/node-id.js";
import type { GraphOutboxRepository } from "../lineage/graph-outbox.repository.js";
import type { LineageEdge, LineageEdgeKind, NewLineageEdge } from "../lineage/lineage-edge.js";
import type { LineageEdgeRepository } from "../lineage/lineage-edge.repository.js";
import { type AuditEventRepository, type PreparedAuditEvent, prepareAuditEvent } from "./audit-event.repository.js";
import { AccessDeniedError, HiddenNodeError } from "../access/access.errors.js";
import type { NodeNamespaceRepository } from "../access/node-namespace.repository.js";
import type { RoleName } from "../access/role.js";
import { KIND_OF_LINEAGE_TYPE } from "../lineage/lineage-node-kinds.js";
import { cooperativeMap } from "../lib/cooperative-map.js";

/** One change to the record, as a service describes it. */
export interface Change {
  /** `<entity>.<verb>` in past tense, e.g. `dataset_version.registered`. */
  action: string;
  target: { kind: NodeKind; id: string; namespaceId?: string | undefined };
  before?: unknown;
  after?: unknown;
  /** Lineage edges that start being valid with this change. */
  addEdges?: NewLineageEdge[];
  /** When the change takes effect (edges' validFrom/validTo, the audit time). @defaultValue now */
  at?: Date;
  /** Current edges of a kind into a node that stop being valid with this change. */
  closeEdgesInto?: Array<{ downstreamId: string; kind: LineageEdgeKind }>;
}

export interface RecordedChange {
  at: Date;
  addedEdges: LineageEdge[];
  closedEdges: LineageEdge[];
}

/**
 * One change of a batch whose lineage edges the batch writer stored itself (OpenLineage ingestion
 * writes a whole batch's edges in one statement, each with its own event time).
 */
export interface BatchedChange {
  meta: RequestMeta;
  action: string;
  target: { kind: NodeKind; id: string; namespaceId: string | null };
  before?: unknown;
  after?: unknown;
  at: Date;
  /** Edges this change added, as stored; they go to the graph outbox. */
  addedEdges?: LineageEdge[];
  /** Namespaces of the nodes the added edges start at: the caller must be able to read each. */
  upstreamNamespaceIds?: ReadonlyArray<string | null>;
}

/** A batch's changes, authorized and with their audit events canonicalized (`ChangeRecorder.prepareBatch`). */
export interface PreparedChanges {
  changes: readonly BatchedChange[];
  events: PreparedAuditEvent[];
}

/**
 * Writes the side records of a change inside the caller's transaction: lineage edges, the audit
 * event and the graph outbox row. Services call it once per mutation, after writing the entity.
 */
export class ChangeRecorder {
  constructor(
    private readonly edges: LineageEdgeRepository,
    private readonly audit: AuditEventRepository,
    private readonly outbox: GraphOutboxRepository,
    private readonly nodeNamespaces: NodeNamespaceRepository,
  ) {}

  async record(tx: Transaction, meta: RequestMeta, change: Change): Promise<RecordedChange> {
    const namespaceId = await this.namespaceOf(tx, change);
    const role = authorizeChange(meta, change.action, change.target, namespaceId);
    await this.requireReadableUpstreams(tx, meta, change);
    const at = change.at ?? new Date();
    const closedEdges: LineageEdge[] = [];
    for (const close of change.closeEdgesInto ?? []) {
      closedEdges.push(...(await this.edges.closeCurrentInto(tx, close.downstreamId, close.kind, at)));
    }
    const addedEdges = change.addEdges?.length ? await this.edges.addCurrent(tx, change.addEdges, at) : [];
    await this.audit.append(tx, {
      occurredAt: at,
      actor: meta.actor.name,
      tokenId: meta.actor.tokenId,
      role,
      action: change.action,
      targetType: change.target.kind,
      targetId: change.target.id,
      namespaceId: namespaceId ?? undefined,
      before: change.before,
      after: change.after,
      requestId: meta.requestId,
      clientAddress: meta.clientAddress,
    });
    await this.outbox.append(tx, {
      topic: change.action,
      payload: {
        node: { kind: change.target.kind, id: change.target.id },
        at: at.toISOString(),
        addedEdges: addedEdges.map(edgeJson),
        closedEdges: closedEdges.map(edgeJson),
      },
    });
    return { at, addedEdges, closedEdges };
  }

  /**
   * `record` for a batch of changes whose entities and edges the batch writer stores itself, in two
   * steps. This one needs no database: each change authorized (the same in-transaction check as
   * `record`) and its audit event canonicalized. It gives the event loop back every few changes,
   * so a batch writer runs it while its own statements execute (the changes' contents must be
   * final by then; their edges may come later).
   */
  async prepareBatch(changes: readonly BatchedChange[]): Promise<PreparedChanges> {
    const events = await cooperativeMap(changes, (change) => {
      const role = authorizeChange(change.meta, change.action, change.target, change.target.namespaceId);
      return prepareAuditEvent({
        occurredAt: change.at,
        actor: change.meta.actor.name,
        tokenId: change.meta.actor.tokenId,
        role,
        action: change.action,
        targetType: change.target.kind,
        targetId: change.target.id,
        namespaceId: change.target.namespaceId ?? undefined,
        before: change.before,
        after: change.after,
        requestId: change.meta.requestId,
        clientAddress: change.meta.clientAddress,
      });
    });
    return { changes, events };
  }

  /**
   * The second step, once the changes' entities and edges are written: the readable-upstream check
   * per change, every audit event in one chained append and one outbox row per change that added
   * edges. The change-order lock is taken here, so a batch writer holds it only from this call to
   * its commit.
   */
  async writeBatch(session: SqlSession, prepared: PreparedChanges): Promise<void> {
    const { changes, events } = prepared;
    for (const change of changes) {
      const access = change.meta.access;
      if (!access || access.readsEverything()) continue;
      for (const upstream of change.upstreamNamespaceIds ?? []) {
        if (upstream !== null && !access.canRead(upstream)) throw new HiddenNodeError(change.target.kind, change.target.id);
      }
    }
    await this.audit.appendPrepared(session, events);
    await this.outbox.appendMany(
      session,
      changes
        .filter((change) => change.addedEdges?.length)
        .map((change) => ({
          topic: change.action,
          payload: {
            node: { kind: change.target.kind, id: change.target.id },
            at: change.at.toISOString(),
            addedEdges: change.addedEdges!.map(edgeJson),
            closedEdges: [],
          },
        })),
    );
  }

  /**
   * A new edge from a node of a namespace the caller cannot read (a run in A declaring B's dataset
   * version as its input) would link into what they may not see: refused as "not found".
   */
  private async requireReadableUpstreams(tx: Transaction, meta: RequestMeta, change: Change): Promise<void> {
    const access = meta.access;
    if (!access || access.readsEverything() || !change.addEdges?.length) return;
    const refs = change.addEdges.map((edge) => ({ kind: KIND_OF_LINEAGE_TYPE[edge.upstream.type], key: edge.upstream.id }));
    const namespaces = await this.nodeNamespaces.namespacesOf(refs, tx);
    for (const ref of refs) {
      const upstreamNamespace = namespaces.get(`${ref.kind}:${ref.key}`);
      if (typeof upstreamNamespace === "string" && !access.canRead(upstreamNamespace)) {
        throw new HiddenNodeError(ref.kind, ref.key);
      }
    }
  }

  /** The namespace of the change's target: given by the service, else looked up in the transaction. */
  private async namespaceOf(tx: Transaction, change: Change): Promise<string | null> {
    if (change.target.namespaceId) return change.target.namespaceId;
    const ref = { kind: change.target.kind, key: change.target.id };
    return (await this.nodeNamespaces.namespacesOf([ref], tx)).get(`${ref.kind}:${ref.key}`) ?? null;
  }
}

/**
 * The last line of access control, inside the write's transaction: the operation's roles must be
 * granted in the namespace of what it changes, whatever path led here. Returns the role that
 * allowed the change (recorded in the audit event); null for work no request caused.
 */
function authorizeChange(
  meta: RequestMeta,
  action: string,
  target: { kind: NodeKind; id: string },
  namespaceId: string | null,
): RoleName | null {
  const { access, operationRoles } = meta;
  if (!access) return null;
  const operation = `${action} on ${target.kind}`;
  // A request that reached a write without declaring its roles is a wiring mistake: refuse it.
  if (!operationRoles) throw new AccessDeniedError(operation, ["ADMIN"], "(the operation declared no roles)");
  const role = access.grantingRole(operationRoles, namespaceId);
  if (role) return role;
  if (namespaceId === null && operationRoles.every((wanted) => wanted === "VIEWER")) {
    // The caller's own records outside namespaces (tokens): the service checked ownership.
    const strongest = access.strongestRole();
    if (strongest) return strongest;
  }
  if (namespaceId !== null && !access.canRead(namespaceId)) throw new HiddenNodeError(target.kind, target.id);
  throw new AccessDeniedError(operation, operationRoles, namespaceId === null ? "globally" : "in this namespace");
}

function edgeJson(edge: LineageEdge): Record<string, unknown> {
  return {
    id: edge.id,
    upstream: edge.upstream,
    downstream: edge.downstream,
    kind: edge.kind,
    role: edge.role ?? null,
    properties: edge.properties ?? {},
    validFrom: edge.validFrom.toISOString(),
    validTo: edge.validTo?.toISOString() ?? null,
  };
}
