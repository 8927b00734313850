"use client";

import { useQuery } from "@apollo/client/react";
import { describeApiError } from "../apollo/describe-api-error";
import { StatusMessage } from "../components/status-message";
import type { AuditFilterInput } from "./audit-filter";
import { VerifyAuditChainQuery } from "./audit-operations";

/** The hash chain over the filter's time span, recomputed by the API on demand. */
export function ChainStatus(props: { filter: AuditFilterInput }) {
  const { since, until } = props.filter;
  const check = useQuery(VerifyAuditChainQuery, {
    variables: { from: since ?? null, to: until ?? null },
    fetchPolicy: "network-only",
  });
  const result = check.data?.verifyAuditChain;
  const span = since || until ? "in the chosen time span" : "in the whole trail";
  return (
    <section className="panel" aria-labelledby="chain-heading">
      <h2 id="chain-heading">Chain verification</h2>
      {check.error ? (
        <StatusMessage kind="error">{describeApiError(check.error).message}</StatusMessage>
      ) : !result ? (
        <StatusMessage kind="loading">Recomputing the hash chain…</StatusMessage>
      ) : result.ok ? (
        <p className="chain-ok" data-testid="chain-status" data-ok="true">
          <strong>Intact.</strong> {result.eventsChecked.toLocaleString()} events {span} link correctly.
          {result.headHash ? (
            <>
              {" "}
              Head hash <code title={result.headHash}>{result.headHash.slice(0, 16)}…</code> (compare it with a copy kept outside
              the database).
            </>
          ) : null}
        </p>
      ) : (
        <div className="chain-broken" role="alert" data-testid="chain-status" data-ok="false">
          <strong>Broken.</strong> {result.brokenLink?.message ?? "A link does not verify."} ({result.brokenLink?.problem}, event{" "}
          <code>{result.brokenLink?.eventId}</code>
          {result.brokenLink?.sequence !== null && result.brokenLink?.sequence !== undefined
            ? `, sequence ${result.brokenLink.sequence}`
            : ""}
          ). {result.eventsChecked.toLocaleString()} events checked.
        </div>
      )}
      <button type="button" className="button" onClick={() => void check.refetch()} disabled={check.loading}>
        {check.loading ? "Verifying…" : "Verify again"}
      </button>
    </section>
  );
}
