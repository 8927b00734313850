"use client";

import { useQuery } from "@apollo/client/react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useAuth } from "../auth/auth-context";
import { MeQuery } from "../auth/me-query";
import { useLiveAlerts } from "../live/live-alerts-context";
import { ThemeToggle } from "../theme/theme-toggle";

export function AppHeader() {
  const auth = useAuth();
  const router = useRouter();
  const live = useLiveAlerts();
  const me = useQuery(MeQuery, { skip: !auth.token, fetchPolicy: "cache-first" });
  const signOut = () => {
    auth.signOut();
    router.push("/sign-in");
  };
  return (
    <header className="app-header">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Link href="/lineage" className="brand">
        Pedigree
      </Link>
      <nav aria-label="Main">
        <Link href="/lineage">Lineage</Link>
        <Link href="/alerts" aria-label={live.unseen > 0 ? `Alerts, ${live.unseen} new` : "Alerts"}>
          Alerts
          {live.unseen > 0 ? (
            <span className="badge" aria-hidden="true" data-testid="unseen-alerts">
              {live.unseen}
            </span>
          ) : null}
        </Link>
        <Link href="/audit">Audit</Link>
      </nav>
      <div className="header-end">
        <ThemeToggle />
        {auth.token ? (
          <>
            <span className="who" data-testid="signed-in-as">
              {me.data?.me?.email ?? "…"}
            </span>
            <button type="button" className="button subtle" onClick={signOut}>
              Sign out
            </button>
          </>
        ) : auth.ready ? (
          <Link href="/sign-in" className="button subtle">
            Sign in
          </Link>
        ) : null}
      </div>
    </header>
  );
}
