import type { NextFunction, Request, Response } from "express";
import type { AccessService } from "../access/access.service.js";
import { setRequestAccess } from "../http/request-meta.js";
import type { Logger } from "../lib/logger.js";
import { UnauthenticatedError } from "./identity.errors.js";
import type { IdentityService } from "./identity.service.js";

/**
 * Express middleware for /graphql and /v1: a valid `Authorization: Bearer <token>` makes the token's
 * user the request's actor, with the access their role bindings give. Without a header the request
 * is anonymous: it gets the anonymous role when one is configured, else a 401 (GETs pass, for the
 * GraphQL landing page; the auth checker refuses any operation they carry). Anything else is
 * answered 401 (GraphQL's error shape, code UNAUTHENTICATED) before any handler runs, so nothing is
 * written.
 */
export function bearerAuthentication(identity: IdentityService, access: AccessService, logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const authorization = req.header("authorization");
    if (authorization === undefined && !access.anonymousAllowed && req.method !== "GET" && req.method !== "OPTIONS") {
      refuse(res, new UnauthenticatedError("MISSING"));
      return;
    }
    (async () => {
      const actor = authorization === undefined ? undefined : await identity.actorFor({ authorization });
      setRequestAccess(req, actor, await access.scopeFor(actor ?? { name: "anonymous" }));
    })()
      .then(() => next())
      .catch((error: unknown) => {
        if (error instanceof UnauthenticatedError) {
          refuse(res, error);
          return;
        }
        // Not the caller's fault (e.g. the database is down): the error handler answers 500.
        logger.error({ err: error }, "authenticating a bearer token failed");
        next(error);
      });
  };
}

function refuse(res: Response, error: UnauthenticatedError): void {
  res
    .status(401)
    .setHeader(
      "www-authenticate",
      `Bearer realm="pedigree", error="${error.reason === "MISSING" ? "invalid_request" : "invalid_token"}"`,
    )
    .json({ errors: [{ message: error.message, extensions: { code: error.code, reason: error.reason } }] });
}
