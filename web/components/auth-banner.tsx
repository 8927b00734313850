"use client";

import Link from "next/link";
import { useAuth } from "../auth/auth-context";

/** Shown on every page while the API refuses the token (401) or its permissions (403). */
export function AuthBanner() {
  const { problem } = useAuth();
  if (!problem) return null;
  return (
    <div role="alert" className="banner error" data-testid="auth-banner">
      <strong>{problem.kind === "FORBIDDEN" ? "Not allowed." : "Not signed in."}</strong> {problem.message}{" "}
      {problem.kind === "UNAUTHENTICATED" ? <Link href="/sign-in">Sign in</Link> : null}
    </div>
  );
}
