"use client";

import { useApolloClient, useMutation } from "@apollo/client/react";
import { useState } from "react";
import { describeApiError } from "../apollo/describe-api-error";
import { StatusMessage } from "../components/status-message";
import { ComplianceReportQuery, RequestComplianceReportMutation } from "./export-operations";
import { ExportTracker } from "./export-tracker";
import { saveBlob } from "./save-blob";

/**
 * The model compliance report of a model version or a deployment: the JSON at once, or the
 * report.json + report.pdf export (a job with a progress bar, then downloads with the token).
 */
export function ComplianceReportPanel(props: {
  subject: { modelVersionId: string } | { deploymentId: string };
  fileStem: string;
}) {
  const client = useApolloClient();
  const [jsonBusy, setJsonBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [request, requested] = useMutation(RequestComplianceReportMutation);
  const exportId = requested.data?.requestModelComplianceReport.id ?? null;

  const downloadJson = async () => {
    setJsonBusy(true);
    setError(null);
    try {
      const result = await client.query({ query: ComplianceReportQuery, variables: props.subject, fetchPolicy: "network-only" });
      const report = result.data?.modelComplianceReport;
      if (!report) throw new Error("The API returned no report.");
      saveBlob(
        new Blob([`${JSON.stringify(report, null, 2)}\n`], { type: "application/json" }),
        `${props.fileStem}-compliance-report.json`,
      );
    } catch (caught) {
      setError(describeApiError(caught).message);
    } finally {
      setJsonBusy(false);
    }
  };

  return (
    <section aria-labelledby="compliance-heading" className="panel">
      <h2 id="compliance-heading">Compliance report</h2>
      <p>Provenance, approvals, deployment history, alerts and the audit events behind them, with their chain check.</p>
      <div className="actions">
        <button type="button" className="button" onClick={() => void downloadJson()} disabled={jsonBusy}>
          {jsonBusy ? "Preparing JSON…" : "Download JSON"}
        </button>
        <button
          type="button"
          className="button"
          onClick={() => void request({ variables: props.subject }).catch(() => undefined)}
          disabled={requested.loading}
        >
          Prepare PDF + JSON export
        </button>
      </div>
      {error ? <StatusMessage kind="error">{error}</StatusMessage> : null}
      {requested.error ? <StatusMessage kind="error">{describeApiError(requested.error).message}</StatusMessage> : null}
      {exportId ? <ExportTracker exportId={exportId} label="Compliance report export" /> : null}
    </section>
  );
}
