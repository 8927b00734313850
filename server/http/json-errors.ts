import type { NextFunction, Request, Response } from "express";
import { PedigreeError } from "../errors/pedigree-error.js";
import type { Logger } from "../lib/logger.js";
import { httpStatusOf } from "../serving/serving.errors.js";

interface BodyParserError {
  type?: string;
  status?: number;
  limit?: number;
}

/**
 * Express error handler: typed Pedigree errors and body-parser failures (too large, not JSON)
 * answer in GraphQL's error shape with a code, never with HTML or a stack.
 */
export function jsonErrorHandler(logger: Logger) {
  return (error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (error instanceof PedigreeError) {
      // Typed errors of REST routes (authorization, bad input): their code and message, no stack.
      res.status(httpStatusOf(error.code)).json({ errors: [{ message: error.message, extensions: error.extensions }] });
      return;
    }
    const parsed = error as BodyParserError;
    if (parsed.type === "entity.too.large") {
      res.status(413).json({
        errors: [
          {
            message: `Request body is larger than the limit of ${parsed.limit} bytes.`,
            extensions: { code: "PAYLOAD_TOO_LARGE" },
          },
        ],
      });
      return;
    }
    if (parsed.type === "entity.parse.failed") {
      res.status(400).json({ errors: [{ message: "Request body is not valid JSON.", extensions: { code: "BAD_REQUEST" } }] });
      return;
    }
    if (parsed.status && parsed.status >= 400 && parsed.status < 500) {
      res.status(parsed.status).json({ errors: [{ message: "Bad request.", extensions: { code: "BAD_REQUEST" } }] });
      return;
    }
    logger.error({ err: error }, "unhandled HTTP error");
    res.status(500).json({ errors: [{ message: "Internal server error.", extensions: { code: "INTERNAL_SERVER_ERROR" } }] });
  };
}
