import type { GraphQLArgument } from "graphql";
import type { AuditEventRepository } from "../audit/audit-event.repository.js";
import type { Database } from "../db/database.js";
import { runInTransaction, type Transaction } from "../db/transaction.js";
import type { Actor, RequestMeta } from "../graphql/context.js";
import type { IdentityRepository } from "../identity/identity.repository.js";
import type { Logger } from "../lib/logger.js";
import { AccessDeniedError, HiddenNodeError } from "./access.errors.js";
import { AccessScope } from "./access-scope.js";
import { type NodeNamespace, type NodeNamespaceRepository, nodeRefKey } from "./node-namespace.repository.js";
import { operationReferences } from "./operation-references.js";
import type { RoleName } from "./role.js";
import type { NodeRef } from "../graphql/node-id.js";

export interface AccessOptions {
  /** The role of requests without a token; null refuses them (401). @defaultValue null */
  anonymousRole: RoleName | null;
}

/** An operation being authorized, for messages and the audit of denials. */
export interface OperationToAuthorize {
  /** `mutation registerDataset`, `subscription driftAlerts`, `POST /v1/deployments/:name/predict`… */
  name: string;
  /** Denials of writes are audited; denied reads are not (they change nothing and are frequent). */
  writes: boolean;
  /**
   * Check the namespaces the arguments name (mutations, subscriptions, REST). Queries skip this:
   * their answers are filtered instead (lists in SQL, single nodes by the visibility middleware).
   */
  checkNamespaces: boolean;
  args: Record<string, unknown>;
  /** The schema's definitions of the arguments: only `ID`-typed values are read as node ids. */
  argumentDefinitions: readonly GraphQLArgument[];
}

/**
 * Roles and namespaces: what a caller may do, checked in one place for GraphQL (the auth checker)
 * and REST (authorizeRequest), and again by the change recorder inside each write's transaction.
 */
export class AccessService {
  constructor(
    private readonly db: Database,
    private readonly identities: IdentityRepository,
    private readonly nodeNamespaces: NodeNamespaceRepository,
    private readonly audit: AuditEventRepository,
    private readonly logger: Logger,
    readonly options: AccessOptions,
  ) {}

  /** The scope of a request's actor: their bindings, or the anonymous role, or nothing. */
  async scopeFor(actor: Actor): Promise<AccessScope> {
    if (actor.userId) {
      const bindings = await this.identities.roleBindingsOf(actor.userId);
      return new AccessScope(bindings.map(({ role, namespaceId }) => ({ role, namespaceId })));
    }
    const anonymous = this.options.anonymousRole;
    return anonymous ? new AccessScope([{ role: anonymous, namespaceId: null }]) : AccessScope.none();
  }

  /** True when requests without a token are served (PEDIGREE_ANONYMOUS_ROLE). */
  get anonymousAllowed(): boolean {
    return this.options.anonymousRole !== null;
  }

  /**
   * Allows an operation or throws: FORBIDDEN when no role the caller holds grants `wanted` where
   * the operation acts, NOT_FOUND for anything it names in a namespace the caller cannot read.
   * Every namespace an operation names (by name or through a node id) must grant the role; an
   * operation naming none needs a global binding. Denied writes are audited.
   */
  async authorize(meta: RequestMeta, access: AccessScope, operation: OperationToAuthorize, wanted: readonly RoleName[]) {
    try {
      if (!access.grantsAnywhere(wanted))
        throw new AccessDeniedError(operation.name, wanted, "anywhere; you hold none that does");
      // A global binding that grants the role covers every namespace: nothing to look up.
      if (!operation.checkNamespaces || access.can(wanted, null)) return;
      const namespaceIds = await this.namespacesNamedBy(access, operation.args, operation.argumentDefinitions);
      if (namespaceIds.size === 0) {
        // Naming no namespace, an operation acts outside them (users, bindings) and needs a global
        // binding, unless it is open to every role (the caller's own tokens, unfiltered feeds whose
        // events are filtered one by one), where the service or resolver narrows it to the caller.
        if (!wanted.every((role) => role === "VIEWER") && !access.can(wanted, null)) {
          throw new AccessDeniedError(operation.name, wanted, "globally (it names no namespace)");
        }
        return;
      }
      for (const namespaceId of namespaceIds) {
        if (!access.can(wanted, namespaceId)) throw new AccessDeniedError(operation.name, wanted, "in this namespace");
      }
    } catch (error) {
      // A write naming what the caller may not see is a denied attempt too, though answered NOT_FOUND.
      const denied = error instanceof AccessDeniedError || error instanceof HiddenNodeError;
      if (denied && operation.writes) await this.recordDenied(meta, access, operation, wanted);
      throw error;
    }
  }

  /**
   * For operations whose answer spans namespaces (a compliance report follows lineage anywhere):
   * only a global binding of one of `wanted` will do.
   */
  requireGlobal(access: AccessScope, wanted: readonly RoleName[], operation: string): void {
    if (!access.can(wanted, null)) throw new AccessDeniedError(operation, wanted, "globally (its answer spans namespaces)");
  }

  /** Throws (as "not found") unless the caller may read the node; nodes outside namespaces pass. */
  async requireReadable(access: AccessScope, ref: NodeRef, shownAs: string, field?: string): Promise<void> {
    if (!(await this.isReadable(access, ref))) throw new HiddenNodeError(ref.kind, shownAs, field);
  }

  async isReadable(access: AccessScope, ref: NodeRef): Promise<boolean> {
    if (access.readsEverything()) return true;
    const namespaceId = (await this.nodeNamespaces.namespacesOf([ref])).get(nodeRefKey(ref));
    return namespaceId === undefined || namespaceId === null || access.canRead(namespaceId);
  }

  /** Namespaces of many nodes (keyed `Kind:key`), for filtering answers such as lineage graphs. */
  namespacesOf(refs: readonly NodeRef[], tx?: Transaction): Promise<Map<string, NodeNamespace>> {
    return this.nodeNamespaces.namespacesOf(refs, tx);
  }

  namespaceIdsByName(names: readonly string[]): Promise<Map<string, string>> {
    return this.nodeNamespaces.namespaceIdsByName(names);
  }

  /**
   * The namespaces an operation's arguments name, after hiding: a name or node in a namespace the
   * caller cannot read is reported as not found, like one that does not exist.
   */
  private async namespacesNamedBy(
    access: AccessScope,
    args: Record<string, unknown>,
    definitions: readonly GraphQLArgument[],
  ): Promise<Set<string>> {
    const references = operationReferences(args, definitions);
    const namespaceIds = new Set<string>();
    if (references.namespaces.length > 0) {
      const ids = await this.nodeNamespaces.namespaceIdsByName(references.namespaces.map((ref) => ref.name));
      for (const ref of references.namespaces) {
        const id = ids.get(ref.name);
        if (id === undefined) {
          // A namespace that does not exist yet: only a global binding may create things in it.
          if (!access.readsEverything()) throw new HiddenNodeError("Namespace", ref.name, ref.path);
          continue;
        }
        if (!access.canRead(id)) throw new HiddenNodeError("Namespace", ref.name, ref.path);
        namespaceIds.add(id);
      }
    }
    if (references.nodes.length > 0) {
      const found = await this.nodeNamespaces.namespacesOf(references.nodes);
      for (const ref of references.nodes) {
        const namespaceId = found.get(nodeRefKey(ref));
        // Unknown ids and nodes outside namespaces are left to the resolver (NOT_FOUND, ownership).
        if (namespaceId === undefined || namespaceId === null) continue;
        if (!access.canRead(namespaceId)) throw new HiddenNodeError(ref.kind, ref.id, ref.path);
        namespaceIds.add(namespaceId);
      }
    }
    return namespaceIds;
  }

  /** `access.denied` in the audit chain, in its own transaction (the operation wrote nothing). */
  private async recordDenied(
    meta: RequestMeta,
    access: AccessScope,
    operation: OperationToAuthorize,
    wanted: readonly RoleName[],
  ) {
    try {
      await runInTransaction(this.db, (tx) =>
        this.audit.append(tx, {
          occurredAt: new Date(),
          actor: meta.actor.name,
          tokenId: meta.actor.tokenId,
          role: null,
          action: "access.denied",
          targetType: "Operation",
          targetId: operation.name,
          namespaceId: undefined,
          before: undefined,
          after: { requiredRoles: wanted, heldRoles: access.held },
          requestId: meta.requestId,
          clientAddress: meta.clientAddress,
        }),
      );
    } catch (error) {
      // The denial stands either way; losing its audit record must not turn it into a 500.
      this.logger.error({ err: error, operation: operation.name }, "recording a denied operation failed");
    }
  }
}
