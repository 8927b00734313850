import { randomUUID } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import type { RequestMeta } from "../graphql/context.js";

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

/** Actor, request id and client address of an HTTP request; malformed headers are replaced, not trusted. */
export function requestMetaOf(req: Request): RequestMeta {
  const actor = req.header("x-pedigree-actor");
  const requestId = req.header("x-request-id");
  return {
    actor: { name: actor && HEADER_VALUE.test(actor) ? actor : "anonymous" },
    requestId: requestId && HEADER_VALUE.test(requestId) ? requestId : randomUUID(),
    clientAddress: req.ip,
  };
}
