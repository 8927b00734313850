import { roleGrants, type RoleName } from "./role.js";

/** One role a user holds: everywhere (namespaceId null) or in one namespace. */
export interface HeldRole {
  role: RoleName;
  namespaceId: string | null;
}

/**
 * What one caller may do, from their role bindings: resolved once per request and consulted by the
 * auth checker, the visibility middleware, list queries (SQL filters) and the change recorder.
 */
export class AccessScope {
  private readonly global: RoleName[];
  private readonly perNamespace = new Map<string, RoleName[]>();

  constructor(readonly held: readonly HeldRole[]) {
    this.global = held.filter((binding) => binding.namespaceId === null).map((binding) => binding.role);
    for (const binding of held) {
      if (binding.namespaceId === null) continue;
      const roles = this.perNamespace.get(binding.namespaceId) ?? [];
      roles.push(binding.role);
      this.perNamespace.set(binding.namespaceId, roles);
    }
  }

  /** A scope that may do everything (ADMIN everywhere). */
  static unrestricted(): AccessScope {
    return new AccessScope([{ role: "ADMIN", namespaceId: null }]);
  }

  /** A scope that may do nothing. */
  static none(): AccessScope {
    return new AccessScope([]);
  }

  /**
   * The role that lets the caller do an operation asking for one of `wanted` in `namespaceId`
   * (null: something outside any namespace, which only a global binding covers); undefined when
   * none does. A global binding wins over a namespace one, the stronger role over the weaker.
   */
  grantingRole(wanted: readonly RoleName[], namespaceId: string | null): RoleName | undefined {
    const candidates = namespaceId === null ? this.global : [...this.global, ...(this.perNamespace.get(namespaceId) ?? [])];
    let best: RoleName | undefined;
    for (const held of candidates) {
      if (!wanted.some((role) => roleGrants(held, role))) continue;
      if (best === undefined || rank(held) > rank(best)) best = held;
    }
    return best;
  }

  /** True when some binding (global or in any namespace) grants one of `wanted`. */
  grantsAnywhere(wanted: readonly RoleName[]): boolean {
    return this.held.some((binding) => wanted.some((role) => roleGrants(binding.role, role)));
  }

  can(wanted: readonly RoleName[], namespaceId: string | null): boolean {
    return this.grantingRole(wanted, namespaceId) !== undefined;
  }

  /** The strongest role held anywhere (what the audit records for self-service on one's own tokens). */
  strongestRole(): RoleName | undefined {
    let best: RoleName | undefined;
    for (const { role } of this.held) if (best === undefined || rank(role) > rank(best)) best = role;
    return best;
  }

  /**
   * The namespaces where one of `wanted` is granted, for SQL filters of role-specific lists (the
   * audit log, exports: an AUDITOR bound to A sees A's, even if they may read more); undefined when
   * a global binding grants it (no filter).
   */
  namespacesGranting(wanted: readonly RoleName[]): readonly string[] | undefined {
    if (this.can(wanted, null)) return undefined;
    return [...this.perNamespace.keys()].filter((namespaceId) => this.can(wanted, namespaceId));
  }

  /** Every role reads; a global binding reads every namespace. */
  readsEverything(): boolean {
    return this.global.length > 0;
  }

  canRead(namespaceId: string | null): boolean {
    if (this.readsEverything()) return true;
    return namespaceId !== null && this.perNamespace.has(namespaceId);
  }

  /**
   * The namespaces whose records this caller may see, for SQL filters on list queries; undefined
   * means every namespace (no filter). An empty array means none.
   */
  visibleNamespaceIds(): readonly string[] | undefined {
    return this.readsEverything() ? undefined : [...this.perNamespace.keys()];
  }
}

const RANK: Record<RoleName, number> = { VIEWER: 0, EDITOR: 1, DEPLOYER: 1, AUDITOR: 1, ADMIN: 2 };
function rank(role: RoleName): number {
  return RANK[role];
}
