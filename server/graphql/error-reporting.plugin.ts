import type { ApolloServerPlugin } from "@apollo/server";
import type { Counter } from "prom-client";
import { PedigreeError } from "../errors/pedigree-error.js";
import type { Logger } from "../lib/logger.js";
import type { RequestContext } from "./context.js";

/**
 * Counts every GraphQL error by the code its client sees, and logs each unexpected resolver failure
 * with the request id, operation and field path, so that the masked `INTERNAL_SERVER_ERROR` a client
 * sees can be traced to its cause in the logs.
 */
export function errorReportingPlugin(logger: Logger, errorsByCode: Counter<"code">): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ contextValue, errors, operationName }) {
          for (const error of errors) {
            const cause = error.originalError;
            const expected = !cause || cause instanceof PedigreeError;
            const code =
              cause instanceof PedigreeError
                ? cause.code
                : expected
                  ? String(error.extensions.code ?? "BAD_REQUEST")
                  : "INTERNAL_SERVER_ERROR";
            errorsByCode.inc({ code });
            if (expected) continue;
            logger.error(
              { err: cause, requestId: contextValue.requestId, actor: contextValue.actor.name, operationName, path: error.path },
              "unexpected error in GraphQL request",
            );
          }
        },
      };
    },
  };
}
