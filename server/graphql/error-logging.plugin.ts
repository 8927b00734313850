import type { ApolloServerPlugin } from "@apollo/server";
import { PedigreeError } from "../errors/pedigree-error.js";
import type { Logger } from "../lib/logger.js";
import type { RequestContext } from "./context.js";

/**
 * Logs every unexpected resolver failure with the request id, the operation and the field path, so
 * that the masked `INTERNAL_SERVER_ERROR` a client sees can be traced to its cause in the logs.
 */
export function errorLoggingPlugin(logger: Logger): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ contextValue, errors, operationName }) {
          for (const error of errors) {
            const cause = error.originalError;
            if (!cause || cause instanceof PedigreeError) continue;
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
