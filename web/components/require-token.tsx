"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { useAuth } from "../auth/auth-context";
import { StatusMessage } from "./status-message";

/** Renders its children only with a token: the API answers nothing to anonymous callers. */
export function RequireToken(props: { children: ReactNode }) {
  const auth = useAuth();
  if (!auth.ready) return <StatusMessage kind="loading">Loading…</StatusMessage>;
  if (!auth.token)
    return (
      <StatusMessage kind="empty">
        The explorer needs an API token. <Link href="/sign-in">Sign in</Link> to continue.
      </StatusMessage>
    );
  return <>{props.children}</>;
}
