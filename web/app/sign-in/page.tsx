"use client";

import { useApolloClient } from "@apollo/client/react";
import { useRouter } from "next/navigation";
import { type FormEvent, useId, useState } from "react";
import { describeApiError } from "../../apollo/describe-api-error";
import { useAuth } from "../../auth/auth-context";
import { MeQuery } from "../../auth/me-query";
import { StatusMessage } from "../../components/status-message";

/** Paste an API token; it is checked with the `me` query before it is stored. */
export default function SignInPage() {
  const client = useApolloClient();
  const auth = useAuth();
  const router = useRouter();
  const tokenId = useId();
  const rememberId = useId();
  const [token, setToken] = useState("");
  const [remember, setRemember] = useState(false);
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const candidate = token.trim();
    if (!candidate) {
      setError("Paste an API token (it starts with pdg_).");
      return;
    }
    setChecking(true);
    setError(null);
    try {
      const result = await client.query({
        query: MeQuery,
        fetchPolicy: "network-only",
        context: { headers: { authorization: `Bearer ${candidate}` }, quietAuthErrors: true },
      });
      if (!result.data?.me) {
        setError("The API did not recognise this token.");
        return;
      }
      auth.signIn(candidate, remember ? "device" : "session");
      router.push("/lineage");
    } catch (caught) {
      setError(describeApiError(caught).message);
    } finally {
      setChecking(false);
    }
  };

  return (
    <section className="narrow">
      <h1>Sign in</h1>
      <p>
        Paste a Pedigree API token. The quick start prints one on its first start; an admin can create more with{" "}
        <code>npm run admin:token</code> or the <code>createApiToken</code> mutation.
      </p>
      {auth.token ? <p>You are signed in. Signing in again replaces the stored token.</p> : null}
      <form onSubmit={submit} className="form" noValidate>
        <label htmlFor={tokenId}>API token</label>
        <input
          id={tokenId}
          name="token"
          type="password"
          autoComplete="off"
          spellCheck={false}
          placeholder="pdg_…"
          value={token}
          onChange={(event) => setToken(event.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${tokenId}-error` : undefined}
          required
        />
        <div className="checkbox">
          <input id={rememberId} type="checkbox" checked={remember} onChange={(event) => setRemember(event.target.checked)} />
          <label htmlFor={rememberId}>Remember on this device (otherwise until this tab closes)</label>
        </div>
        <button type="submit" className="button primary" disabled={checking}>
          {checking ? "Checking…" : "Sign in"}
        </button>
      </form>
      {error ? (
        <div id={`${tokenId}-error`}>
          <StatusMessage kind="error">{error}</StatusMessage>
        </div>
      ) : null}
    </section>
  );
}
