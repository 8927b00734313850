import type { NodeKind } from "../graphql/node-id.js";
import type { VisibleNamespaceIds } from "../lib/visible-namespaces.js";

export interface AuditEvent {
  id: number;
  occurredAt: Date;
  actor: string;
  action: string;
  targetType: NodeKind;
  targetId: string;
  namespaceId: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  requestId: string | null;
  clientAddress: string | null;
}

/** A stored event with its chain fields, as verification reads it. */
export interface ChainedAuditEvent extends AuditEvent {
  tokenId: string | null;
  role: string | null;
  sequence: number | null;
  prevHash: string | null;
  hash: string | null;
}

export interface NewAuditEvent {
  occurredAt: Date;
  actor: string;
  action: string;
  /** A node kind, or `Operation` for attempts refused before touching any node (`access.denied`). */
  targetType: NodeKind | "Operation";
  targetId: string;
  namespaceId: string | undefined;
  before: unknown;
  after: unknown;
  requestId: string;
  clientAddress: string | undefined;
  /** API token the request authenticated with. */
  tokenId?: string | undefined;
  /** Role under which the actor acted (null: work no request caused). */
  role?: string | null | undefined;
}

export interface AuditEventFilter {
  targetType?: NodeKind | undefined;
  targetId?: string | undefined;
  actor?: string | undefined;
  action?: string | undefined;
  namespaceId?: string | undefined;
  since?: Date | undefined;
  until?: Date | undefined;
  /**
   * Only events of these namespaces (the caller's readable ones); undefined: all, including the
   * events of no namespace (a scoped caller never sees those).
   */
  visibleNamespaceIds?: VisibleNamespaceIds;
}
