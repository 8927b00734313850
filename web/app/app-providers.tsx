"use client";

import { ApolloProvider } from "@apollo/client/react";
import { type ReactNode, useMemo, useState } from "react";
import { createApolloClient, type LiveConnection } from "../apollo/create-apollo-client";
import type { ApiProblem } from "../apollo/describe-api-error";
import { AuthProvider } from "../auth/auth-context";
import { readStoredToken } from "../auth/token-store";
import { LiveAlertsProvider } from "../live/live-alerts-context";

/** One Apollo client per browser tab; it reads the token at every request. */
export function AppProviders(props: { wsUrl: string; children: ReactNode }) {
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [connection, setConnection] = useState<LiveConnection>("idle");
  const client = useMemo(
    () =>
      createApolloClient({
        getToken: readStoredToken,
        wsUrl: props.wsUrl,
        onAuthProblem: setProblem,
        onLiveConnection: setConnection,
      }),
    [props.wsUrl],
  );
  return (
    <ApolloProvider client={client}>
      <AuthProvider problem={problem} onProblem={setProblem}>
        <LiveAlertsProvider connection={connection}>{props.children}</LiveAlertsProvider>
      </AuthProvider>
    </ApolloProvider>
  );
}
