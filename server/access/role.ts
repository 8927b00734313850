import type { RoleName } from "../identity/identity.repository.js";

export type { RoleName };

/** Every role, weakest first. */
export const ROLE_NAMES: readonly RoleName[] = ["VIEWER", "EDITOR", "DEPLOYER", "AUDITOR", "ADMIN"];

/**
 * What holding a role lets one do, as the roles an operation may name in `@Authorized(...)`: every
 * role reads (VIEWER), ADMIN does everything, the others each add their own kind of write.
 */
const GRANTS: Record<RoleName, ReadonlySet<RoleName>> = {
  VIEWER: new Set(["VIEWER"]),
  EDITOR: new Set(["VIEWER", "EDITOR"]),
  DEPLOYER: new Set(["VIEWER", "DEPLOYER"]),
  AUDITOR: new Set(["VIEWER", "AUDITOR"]),
  ADMIN: new Set(ROLE_NAMES),
};

/** True when a binding of `held` satisfies an operation that asks for `wanted`. */
export function roleGrants(held: RoleName, wanted: RoleName): boolean {
  return GRANTS[held].has(wanted);
}
