"use client";

import { useMutation } from "@apollo/client/react";
import { useState } from "react";
import { describeApiError } from "../apollo/describe-api-error";
import { StatusMessage } from "../components/status-message";
import { RequestAuditExportMutation } from "../exports/export-operations";
import { ExportTracker } from "../exports/export-tracker";
import type { AuditFilterInput } from "./audit-filter";

type Format = "CSV" | "JSONL";

/** Exports the filtered audit events as CSV or JSONL (with manifest.json), each followed to its download. */
export function AuditExportButtons(props: { filter: AuditFilterInput }) {
  const [request, state] = useMutation(RequestAuditExportMutation);
  const [started, setStarted] = useState<{ id: string; format: Format }[]>([]);
  const start = async (format: Format) => {
    const result = await request({ variables: { filter: props.filter, format } }).catch(() => null);
    const id = result?.data?.requestAuditExport.id;
    if (id) setStarted((current) => [{ id, format }, ...current]);
  };
  return (
    <section className="panel" aria-labelledby="export-heading">
      <h2 id="export-heading">Export</h2>
      <p>The events matching the filter, in chain order, with a manifest.json (count, SHA-256, first and last chain hash).</p>
      <div className="actions">
        <button type="button" className="button" onClick={() => void start("CSV")} disabled={state.loading}>
          Export CSV
        </button>
        <button type="button" className="button" onClick={() => void start("JSONL")} disabled={state.loading}>
          Export JSONL
        </button>
      </div>
      {state.error ? <StatusMessage kind="error">{describeApiError(state.error).message}</StatusMessage> : null}
      {started.map((entry) => (
        <ExportTracker key={entry.id} exportId={entry.id} label={`Audit export (${entry.format})`} />
      ))}
    </section>
  );
}
