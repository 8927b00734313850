"use client";

import { useApolloClient } from "@apollo/client/react";
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";
import type { ApiProblem } from "../apollo/describe-api-error";
import { clearStoredToken, readStoredToken, storeToken, type TokenPersistence } from "./token-store";

export interface AuthState {
  /** False until the stored token has been read (it is not known while the server renders). */
  ready: boolean;
  token: string | null;
  signIn: (token: string, persistence: TokenPersistence) => void;
  signOut: () => void;
  /** The last 401/403 the API gave, shown in a banner until the user signs in again. */
  problem: ApiProblem | null;
  reportProblem: (problem: ApiProblem) => void;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider(props: {
  children: ReactNode;
  problem: ApiProblem | null;
  onProblem: (problem: ApiProblem | null) => void;
}) {
  const client = useApolloClient();
  const { problem, onProblem } = props;
  const [ready, setReady] = useState(false);
  const [token, setToken] = useState<string | null>(null);

  useEffect(() => {
    setToken(readStoredToken());
    setReady(true);
  }, []);

  const signIn = useCallback(
    (newToken: string, persistence: TokenPersistence) => {
      storeToken(newToken, persistence);
      setToken(newToken);
      onProblem(null);
      void client.resetStore();
    },
    [client, onProblem],
  );

  const signOut = useCallback(() => {
    clearStoredToken();
    setToken(null);
    onProblem(null);
    void client.clearStore();
  }, [client, onProblem]);

  const value = useMemo<AuthState>(
    () => ({ ready, token, signIn, signOut, problem, reportProblem: onProblem }),
    [ready, token, signIn, signOut, problem, onProblem],
  );
  return <AuthContext.Provider value={value}>{props.children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const state = useContext(AuthContext);
  if (!state) throw new Error("useAuth needs an <AuthProvider> above it");
  return state;
}
