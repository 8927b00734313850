import { randomUUID } from "node:crypto";
import type { Request } from "express";
import type { RequestMeta } from "../graphql/context.js";

const HEADER_VALUE = /^[A-Za-z0-9._:@\-/]{1,128}$/;

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
