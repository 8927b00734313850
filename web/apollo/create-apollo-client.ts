import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from "@apollo/client";
import { SetContextLink } from "@apollo/client/link/context";
import { ErrorLink } from "@apollo/client/link/error";
import { GraphQLWsLink } from "@apollo/client/link/subscriptions";
import { OperationTypeNode } from "graphql";
import { createClient } from "graphql-ws";
import { type ApiProblem, describeApiError } from "./describe-api-error";

/** The subscription WebSocket: not opened yet (no subscription), opening, open, or closed (retrying). */
export type LiveConnection = "idle" | "connecting" | "connected" | "closed";

export interface ApolloClientOptions {
  /** The stored API token, read at each request so that sign-in and sign-out need no new client. */
  getToken: () => string | null;
  /** Where subscriptions connect (the API's own graphql-ws endpoint: Next cannot proxy WebSockets). */
  wsUrl: string;
  /** Called when the API refuses the token or its permissions, to show the user why. */
  onAuthProblem: (problem: ApiProblem) => void;
  /** Called as the subscription WebSocket opens and closes, so pages can say whether they are live. */
  onLiveConnection?: (state: LiveConnection) => void;
}

/**
 * Queries and mutations go over HTTP to this app's /graphql route (proxied to the API, so no CORS),
 * subscriptions over graphql-ws straight to the API. Both carry the token.
 */
export function createApolloClient(options: ApolloClientOptions): ApolloClient {
  const auth = new SetContextLink((prevContext) => {
    const headers = (prevContext.headers ?? {}) as Record<string, string>;
    // The sign-in page sends the candidate token itself.
    if (headers.authorization) return {};
    const token = options.getToken();
    return token ? { headers: { ...headers, authorization: `Bearer ${token}` } } : {};
  });
  const errors = new ErrorLink(({ error, operation }) => {
    if ((operation.getContext() as { quietAuthErrors?: boolean }).quietAuthErrors) return;
    const problem = describeApiError(error);
    if (problem.kind === "UNAUTHENTICATED" || problem.kind === "FORBIDDEN") options.onAuthProblem(problem);
  });
  const http = new HttpLink({ uri: "/graphql" });
  const ws = new GraphQLWsLink(
    createClient({
      url: options.wsUrl,
      lazy: true,
      // Reconnect after the API restarts or the network drops, instead of staying silent.
      retryAttempts: Number.POSITIVE_INFINITY,
      shouldRetry: () => true,
      on: {
        connecting: () => options.onLiveConnection?.("connecting"),
        connected: () => options.onLiveConnection?.("connected"),
        closed: () => options.onLiveConnection?.("closed"),
      },
      connectionParams: () => {
        const token = options.getToken();
        return token ? { authorization: `Bearer ${token}` } : {};
      },
    }),
  );
  const transport = ApolloLink.split(
    ({ operationType }) => operationType === OperationTypeNode.SUBSCRIPTION,
    ws,
    ApolloLink.from([auth, http]),
  );
  return new ApolloClient({
    link: ApolloLink.from([errors, transport]),
    cache: new InMemoryCache({
      typePolicies: {
        // A lineage node's depth depends on the query's root: never merge two answers' nodes by id.
        LineageNode: { keyFields: false },
      },
    }),
    defaultOptions: { watchQuery: { fetchPolicy: "cache-and-network" } },
  });
}
