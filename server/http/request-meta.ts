import { randomUUID } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import { AccessScope } from "../access/access-scope.js";
import type { Actor, RequestMeta } from "../graphql/context.js";

const HEADER_VALUE = /^[A-Za-z0-9._:@\-/]{1,128}$/;

/**
 * Express middleware: every request gets an id (the client's `x-request-id` when well-formed, else a
 * new UUID), echoed in the response header and recorded in the audit events the request causes.
 */
export function assignRequestId(req: Request, res: Response, next: NextFunction): void {
  const given = req.header("x-request-id");
  const requestId = given && HEADER_VALUE.test(given) ? given : randomUUID();
  req.headers["x-request-id"] = requestId;
  res.setHeader("x-request-id", requestId);
  next();
}

// Set by the bearer-token middleware (server/identity/bearer-authentication.ts) for every request
// it lets through: the token's user (absent when anonymous) and what the caller may do.
const requestAccess = new WeakMap<Request, { actor: Actor | undefined; access: AccessScope }>();

/** Records the request's authenticated user (if any) and the access scope it acts with. */
export function setRequestAccess(req: Request, actor: Actor | undefined, access: AccessScope): void {
  requestAccess.set(req, { actor, access });
}

/**
 * Actor, request id and client address of an HTTP request; malformed headers are replaced, not
 * trusted. A request with a valid token acts as the token's user; the `x-pedigree-actor` header only
 * names anonymous callers.
 */
export function requestMetaOf(req: Request): RequestMeta & { access: AccessScope } {
  const granted = requestAccess.get(req);
  const authenticated = granted?.actor;
  const actor = req.header("x-pedigree-actor");
  const requestId = req.header("x-request-id");
  return {
    actor: authenticated ?? { name: actor && HEADER_VALUE.test(actor) ? actor : "anonymous" },
    requestId: requestId && HEADER_VALUE.test(requestId) ? requestId : randomUUID(),
    clientAddress: req.ip,
    // A request the bearer middleware did not see may do nothing.
    access: granted?.access ?? AccessScope.none(),
  };
}
