import { PedigreeError } from "../errors/pedigree-error.js";
import type { RoleName } from "./role.js";

/** The caller is known but holds no role that allows this here (HTTP 403 on REST). */
export class AccessDeniedError extends PedigreeError {
  constructor(operation: string, wanted: readonly RoleName[], where: string) {
    const roles = wanted.includes("ADMIN") ? "ADMIN" : `${wanted.join(" or ")} (or ADMIN)`;
    super("FORBIDDEN", `${operation} needs the ${roles} role ${where}.`, { details: { requiredRoles: [...wanted] } });
  }
}

/**
 * A node or namespace the caller may not read: reported exactly as a missing one, so that its
 * existence does not leak.
 */
export class HiddenNodeError extends PedigreeError {
  constructor(kind: string, shownAs: string, field?: string) {
    super("NOT_FOUND", `${kind} "${shownAs}" not found.`, { ...(field ? { field } : {}), details: { entity: kind } });
  }
}
