import { unwrapResolverError } from "@apollo/server/errors";
import type { GraphQLFormattedError } from "graphql";
import { PedigreeError } from "../errors/pedigree-error.js";

/** Codes Apollo and graphql-js attach to request errors; these are safe to show as they are. */
const REQUEST_ERROR_CODES = new Set([
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_USER_INPUT",
  "OPERATION_RESOLUTION_FAILURE",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "BAD_REQUEST",
]);

/**
 * Apollo's `formatError`: PedigreeErrors and request errors pass through; everything else is
 * masked as INTERNAL_SERVER_ERROR (errorReportingPlugin logs its cause with the request id).
 */
export function createFormatError() {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const base = { locations: formatted.locations, path: formatted.path };
    if (original instanceof PedigreeError) {
      return { ...base, message: original.message, extensions: { ...original.extensions } };
    }
    const code = formatted.extensions?.code;
    if (typeof code === "string" && REQUEST_ERROR_CODES.has(code)) {
      return { ...base, message: formatted.message, extensions: { code } };
    }
    return { ...base, message: "Internal server error.", extensions: { code: "INTERNAL_SERVER_ERROR" } };
  };
}
