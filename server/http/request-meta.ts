import { randomUUID } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
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

// Set by the bearer-token middleware (server/identity/bearer-authentication.ts) for authenticated requests.
const authenticatedActors = new WeakMap<Request, Actor>();

/** Records the user a valid bearer token made this request's actor. */
export function setAuthenticatedActor(req: Request, actor: Actor): void {
  authenticatedActors.set(req, actor);
}

/**
 * Actor, request id and client address of an HTTP request; malformed headers are replaced, not
 * trusted. A request with a valid token acts as the token's user; the `x-pedigree-actor` header only
 * names anonymous callers.
 */
export function requestMetaOf(req: Request): RequestMeta {
  const authenticated = authenticatedActors.get(req);
  const actor = req.header("x-pedigree-actor");
  const requestId = req.header("x-request-id");
  return {
    actor: authenticated ?? { name: actor && HEADER_VALUE.test(actor) ? actor : "anonymous" },
    requestId: requestId && HEADER_VALUE.test(requestId) ? requestId : randomUUID(),
    clientAddress: req.ip,
  };
}
