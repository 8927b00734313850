import { AccessScope } from "../access/access-scope.js";
import { UnauthenticatedError } from "../identity/identity.errors.js";
import { randomUUID } from "node:crypto";
import type { IncomingMessage, Server } from "node:http";
import type { ApolloServerPlugin } from "@apollo/server";
import {
  type DocumentNode,
  type ExecutionResult,
  type GraphQLFormattedError,
  GraphQLError,
  type GraphQLSchema,
  getOperationAST,
  parse,
  specifiedRules,
  validate,
} from "graphql";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";
import { PedigreeError } from "../errors/pedigree-error.js";
import type { Logger } from "../lib/logger.js";
import type { Actor, RequestContext, RequestMeta } from "./context.js";
import { hidingFieldSuggestions } from "../http/schema-exposure.js";
import { createFormatError } from "./format-error.js";
import { type QueryLimits, queryLimitRules } from "./query-limits.js";

export interface SubscriptionServerOptions {
  httpServer: Server;
  schema: GraphQLSchema;
  /** The same limits as the HTTP endpoint. */
  limits: QueryLimits;
  /** Largest WebSocket message accepted; a larger one closes the connection (1009). */
  maxMessageBytes: number;
  /** Operations one connection may run at once. @defaultValue 100 */
  maxSubscriptionsPerConnection?: number;
  /** The context of one operation (services and fresh loaders). */
  contextFor(meta: RequestMeta & { access: AccessScope }): RequestContext;
  /**
   * The actor of the credentials a connection presented (the upgrade request's Authorization header,
   * else `connectionParams.authorization` or `connectionParams.token`): undefined for none (anonymous);
   * rejects with a PedigreeError (code UNAUTHENTICATED) to refuse the connection.
   */
  authenticate?(credentials: { authorization?: unknown; token?: unknown }): Promise<Actor | undefined>;
  /** What a connection's actor may do, resolved once when it connects. @defaultValue everything */
  accessFor?(actor: Actor): Promise<AccessScope>;
  /** Whether a connection without credentials is accepted (else closed with 4401). @defaultValue true */
  anonymousAllowed?: boolean;
  /** Removes "Did you mean …" hints from errors (when introspection is off, as on HTTP). @defaultValue false */
  hideFieldSuggestions?: boolean;
  logger: Logger;
  /** @defaultValue "/graphql" (the HTTP endpoint's path: one URL for both) */
  path?: string;
}

export interface SubscriptionServer {
  /** Closes every connection (1001) and stops accepting new ones. */
  dispose(): Promise<void>;
}

const HEADER_VALUE = /^[A-Za-z0-9._:@\-/]{1,128}$/;

/** graphql-ws's close code for a refused connection_init (the WebSocket counterpart of HTTP 401). */
const UNAUTHORIZED_CLOSE_CODE = 4401;

function metaOf(
  request: IncomingMessage,
  connectionParams: Readonly<Record<string, unknown>> | undefined,
  authenticated: Actor | undefined,
): RequestMeta {
  // Browsers cannot set headers on a WebSocket: the actor may come in the connection_init payload.
  const actorHeader = request.headers["x-pedigree-actor"];
  const actor = typeof actorHeader === "string" ? actorHeader : connectionParams?.actor;
  return {
    actor: authenticated ?? { name: typeof actor === "string" && HEADER_VALUE.test(actor) ? actor : "anonymous" },
    requestId: randomUUID(),
    clientAddress: request.socket.remoteAddress,
  };
}

/** Parses and validates like the HTTP endpoint: token limit, graphql-js rules, depth/alias/cost limits. */
function checkedDocument(
  schema: GraphQLSchema,
  limits: QueryLimits,
  query: string,
  operationName: string | null | undefined,
): DocumentNode | readonly GraphQLError[] {
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens: limits.maxTokens });
  } catch (error) {
    const message = error instanceof GraphQLError ? error.message : "The operation could not be parsed.";
    return [new GraphQLError(message, { extensions: { code: "GRAPHQL_PARSE_FAILED" } })];
  }
  const errors = validate(schema, document, [...specifiedRules, ...queryLimitRules(limits)]);
  if (errors.length > 0) {
    return errors.map(
      (error) => new GraphQLError(error.message, { nodes: error.nodes, extensions: { code: "GRAPHQL_VALIDATION_FAILED" } }),
    );
  }
  const operation = getOperationAST(document, operationName);
  if (!operation) {
    return [new GraphQLError("Name the operation to run.", { extensions: { code: "BAD_USER_INPUT" } })];
  }
  if (operation.operation !== "subscription") {
    return [
      new GraphQLError("Only subscriptions are served over WebSocket; send queries and mutations to POST /graphql.", {
        extensions: { code: "BAD_USER_INPUT" },
      }),
    ];
  }
  return document;
}

/**
 * graphql-ws on the API's HTTP server, at the GraphQL path. Every operation is parsed with the
 * token limit and validated with the HTTP endpoint's rules before it runs; errors are shaped by
 * the same formatError (typed codes, nothing internal).
 */
export function startSubscriptionServer(options: SubscriptionServerOptions): SubscriptionServer {
  const { schema, limits, logger } = options;
  const maxSubscriptions = options.maxSubscriptionsPerConnection ?? 100;
  const webSocketServer = new WebSocketServer({
    server: options.httpServer,
    path: options.path ?? "/graphql",
    maxPayload: options.maxMessageBytes,
  });
  const formatError = options.hideFieldSuggestions ? hidingFieldSuggestions(createFormatError()) : createFormatError();
  const format = (errors: readonly GraphQLError[], operation: string | undefined): GraphQLFormattedError[] =>
    errors.map((error) => {
      const cause = error.originalError;
      if (cause && !(cause instanceof PedigreeError) && !(cause instanceof GraphQLError)) {
        logger.error({ err: cause, path: error.path, operation }, "unexpected error in GraphQL subscription");
      }
      // graphql-js's own request errors (e.g. a variable of the wrong type) carry no code.
      const shaped =
        !cause && error.extensions.code === undefined
          ? new GraphQLError(error.message, { nodes: error.nodes, extensions: { code: "BAD_USER_INPUT" } })
          : error;
      return formatError(shaped.toJSON(), shaped);
    });

  // The user each connection authenticated as and its access, keyed by graphql-ws's per-connection context.
  const connectionActors = new WeakMap<object, Actor>();
  const connectionAccess = new WeakMap<object, AccessScope>();

  /** Authenticates a connection's credentials and records its actor and access; throws UNAUTHENTICATED. */
  const admit = async (ctx: { extra: { request: IncomingMessage }; connectionParams?: Readonly<Record<string, unknown>> }) => {
    if (!options.authenticate) return;
    const header = ctx.extra.request.headers.authorization;
    const credentials =
      header !== undefined
        ? { authorization: header }
        : { authorization: ctx.connectionParams?.authorization, token: ctx.connectionParams?.token };
    const actor = await options.authenticate(credentials);
    if (!actor && options.anonymousAllowed === false) throw new UnauthenticatedError("MISSING");
    if (actor) connectionActors.set(ctx, actor);
    if (options.accessFor) connectionAccess.set(ctx, await options.accessFor(actor ?? { name: "anonymous" }));
  };
  const refuse = (socket: { close(code: number, reason: string): void }, error: unknown) => {
    if (error instanceof PedigreeError && error.code === "UNAUTHENTICATED") {
      // A close reason holds at most 123 bytes: the typed code and the reason (EXPIRED, REVOKED, …).
      const reason = typeof error.extensions.reason === "string" ? error.extensions.reason : "INVALID";
      socket.close(UNAUTHORIZED_CLOSE_CODE, `UNAUTHENTICATED: ${reason}`);
    } else {
      logger.error({ err: error }, "authenticating a GraphQL WebSocket connection failed");
      socket.close(1011, "Internal server error");
    }
  };

  const cleanup = useServer<Record<string, unknown> | undefined>(
    {
      schema,
      onConnect: async (ctx) => {
        try {
          await admit(ctx);
          return true;
        } catch (error) {
          refuse(ctx.extra.socket, error);
          return false;
        }
      },
      onSubscribe: async (ctx, _id, payload) => {
        // Each new subscription checks the token and the bindings again: a token revoked, expired or
        // unbound while the connection stays open starts nothing more (and the connection closes).
        try {
          await admit(ctx);
        } catch (error) {
          refuse(ctx.extra.socket, error);
          return [
            new GraphQLError("The connection's credentials are no longer valid.", { extensions: { code: "UNAUTHENTICATED" } }),
          ];
        }
        if (Object.keys(ctx.subscriptions).length > maxSubscriptions) {
          return [
            new GraphQLError(`At most ${maxSubscriptions} subscriptions may run on one connection.`, {
              extensions: { code: "BAD_USER_INPUT" },
            }),
          ];
        }
        const document = checkedDocument(schema, limits, payload.query, payload.operationName);
        if (!("kind" in document)) return document;
        return {
          schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue: options.contextFor({
            ...metaOf(ctx.extra.request, ctx.connectionParams, connectionActors.get(ctx)),
            access: connectionAccess.get(ctx) ?? (options.accessFor ? AccessScope.none() : AccessScope.unrestricted()),
          }),
        };
      },
      onNext: (_ctx, _id, payload, _args, result: ExecutionResult) =>
        result.errors ? { ...result, errors: format(result.errors, payload.operationName ?? undefined) } : undefined,
      onError: (_ctx, _id, payload, errors) => format(errors, payload.operationName ?? undefined),
    },
    webSocketServer,
  );
  webSocketServer.on("error", (error) => logger.warn({ err: error }, "GraphQL WebSocket server error"));

  return {
    async dispose() {
      await cleanup.dispose();
    },
  };
}

/** Apollo's drain pattern: stopping the Apollo server also closes the WebSocket connections. */
export function drainSubscriptionServer(server: SubscriptionServer): ApolloServerPlugin {
  return {
    async serverWillStart() {
      return {
        async drainServer() {
          await server.dispose();
        },
      };
    },
  };
}
