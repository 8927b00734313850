import type { NextFunction, Request, Response } from "express";
import { setAuthenticatedActor } from "../http/request-meta.js";
import type { Logger } from "../lib/logger.js";
import { UnauthenticatedError } from "./identity.errors.js";
import type { IdentityService } from "./identity.service.js";

/**
 * Express middleware for /graphql and /v1: a valid `Authorization: Bearer <token>` makes the token's
 * user the request's actor; no header leaves the request anonymous; anything else is answered 401
 * (GraphQL's error shape, code UNAUTHENTICATED) before any handler runs, so nothing is written.
 */
export function bearerAuthentication(identity: IdentityService, logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const authorization = req.header("authorization");
    if (authorization === undefined) {
      next();
      return;
    }
    identity
      .actorFor({ authorization })
      .then((actor) => {
        if (actor) setAuthenticatedActor(req, actor);
        next();
      })
      .catch((error: unknown) => {
        if (error instanceof UnauthenticatedError) {
          res
            .status(401)
            .setHeader("www-authenticate", `Bearer realm="pedigree", error="invalid_token"`)
            .json({ errors: [{ message: error.message, extensions: { code: error.code, reason: error.reason } }] });
          return;
        }
        // Not the caller's fault (e.g. the database is down): the error handler answers 500.
        logger.error({ err: error }, "authenticating a bearer token failed");
        next(error);
      });
  };
}
