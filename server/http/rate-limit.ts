import { createHash } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import type { Logger } from "../lib/logger.js";

export interface RateLimitOptions {
  /** Requests one client may send per minute; 0 turns limiting off. */
  perMinute: number;
  logger: Logger;
}

/** Bearer requests of one client address may use this many tokens' budgets together. */
export const ADDRESS_CEILING_FACTOR = 10;

function addressOf(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? "unknown";
}

/**
 * The budget a request is counted against: the bearer credential when the request carries one
 * (hashed, so the limiter never holds a secret, and every token gets its own budget), else the
 * client address.
 */
export function rateLimitKeyOf(req: Request): string {
  const authorization = req.header("authorization");
  if (authorization) {
    const credential = authorization.replace(/^Bearer\s+/i, "").trim();
    return `token:${createHash("sha256").update(credential).digest("base64url")}`;
  }
  return `address:${addressOf(req)}`;
}

/** The 429 body: GraphQL's error shape (as every other HTTP error of the API) with code RATE_LIMITED. */
export function rateLimitedBody(retryAfterSeconds: number) {
  return {
    errors: [
      {
        message: `Too many requests; retry after ${retryAfterSeconds} s.`,
        extensions: { code: "RATE_LIMITED", retryAfterSeconds },
      },
    ],
  };
}

/**
 * Express middleware counting requests per client over one-minute windows (rate-limiter-flexible,
 * in this process's memory: with N API processes behind a balancer a client gets up to N times the
 * budget). Over budget: 429 with `Retry-After`, before the body is read.
 *
 * Counting comes before token verification (so guessing tokens is limited too), and a client could
 * send a new bearer string per request; bearer requests therefore also count against their address,
 * with a ceiling of ADDRESS_CEILING_FACTOR budgets (many token holders may share a proxy or NAT).
 */
export function rateLimitPerClient(options: RateLimitOptions) {
  const perClient = new RateLimiterMemory({ points: options.perMinute, duration: 60 });
  const perAddressCeiling = new RateLimiterMemory({ points: options.perMinute * ADDRESS_CEILING_FACTOR, duration: 60 });
  return async (req: Request, res: Response, next: NextFunction) => {
    const key = rateLimitKeyOf(req);
    try {
      if (key.startsWith("token:")) await perAddressCeiling.consume(addressOf(req), 1);
      const state = await perClient.consume(key, 1);
      res.setHeader("RateLimit-Limit", String(options.perMinute));
      res.setHeader("RateLimit-Remaining", String(state.remainingPoints));
      next();
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) {
        // The in-memory limiter does not fail; should it, serving beats refusing every client.
        options.logger.error({ err: rejection }, "rate limiter failed; request let through");
        next();
        return;
      }
      const retryAfterSeconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      res.setHeader("Retry-After", String(retryAfterSeconds));
      res.setHeader("RateLimit-Limit", String(options.perMinute));
      res.setHeader("RateLimit-Remaining", "0");
      res.status(429).json(rateLimitedBody(retryAfterSeconds));
    }
  };
}
