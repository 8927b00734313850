import type { Request } from "express";
import type { RequestMeta } from "../graphql/context.js";
import { requestMetaOf } from "../http/request-meta.js";
import { UnauthenticatedError } from "../identity/identity.errors.js";
import { AccessDeniedError, HiddenNodeError } from "./access.errors.js";
import type { AccessScope } from "./access-scope.js";
import type { RoleName } from "./role.js";

/** A namespace a route names: its id (undefined when no such namespace exists) and how it was named. */
export interface RequestNamespace {
  id: string | undefined;
  shownAs: string;
}

/**
 * The REST counterpart of `@Authorized`: the request's meta when its caller holds one of `roles`
 * in `namespace` (an id, or null for globally), else a typed error the JSON error handler answers (401, 403,
 * or 404 for a namespace the caller cannot read). Denials are not audited here: REST routes read
 * (predict, downloads) and audit what they do themselves.
 */
export function authorizeRequest(
  req: Request,
  roles: readonly RoleName[],
  namespace: string | RequestNamespace | null,
  operation = `${req.method} ${req.baseUrl}${req.route?.path ?? ""}`,
): RequestMeta & { access: AccessScope } {
  const meta = requestMetaOf(req);
  if (!meta.actor.userId && meta.access.held.length === 0) throw new UnauthenticatedError("MISSING");
  const named = typeof namespace === "string" ? { id: namespace, shownAs: namespace } : namespace;
  const namespaceId = named?.id ?? null;
  if (named && (named.id === undefined ? !meta.access.readsEverything() : !meta.access.canRead(named.id))) {
    // Unknown, or not the caller's to see: the same answer, so existence does not leak.
    throw new HiddenNodeError("Namespace", named.shownAs, "namespace");
  }
  if (!meta.access.can(roles, namespaceId)) {
    throw new AccessDeniedError(operation, roles, namespaceId === null ? "globally" : "in this namespace");
  }
  return { ...meta, operationRoles: roles };
}
