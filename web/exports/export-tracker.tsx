"use client";

import { useQuery } from "@apollo/client/react";
import { useCallback, useEffect, useState } from "react";
import { describeApiError } from "../apollo/describe-api-error";
import { useAuth } from "../auth/auth-context";
import { StatusMessage } from "../components/status-message";
import { type JobState, JobProgressBar } from "../jobs/job-progress-bar";
import { downloadExportFile } from "./download-export-file";
import { ExportQuery } from "./export-operations";

const formatBytes = (bytes: number) =>
  bytes < 1024 ? `${bytes} B` : bytes < 1024 ** 2 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 ** 2).toFixed(1)} MiB`;

/**
 * One export from request to download: a live progress bar (jobProgress), then a button per file
 * that downloads it with the token. The export is read again when its job ends, and polled slowly
 * meanwhile in case the live stream is cut.
 */
export function ExportTracker(props: { exportId: string; label: string }) {
  const auth = useAuth();
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const [downloading, setDownloading] = useState<string | null>(null);
  const view = useQuery(ExportQuery, { variables: { id: props.exportId }, fetchPolicy: "network-only" });
  const record = view.data?.export;
  const finished = record?.status === "SUCCEEDED" || record?.status === "FAILED";
  // Slow polling only while it runs (the subscription is the fast path).
  const { startPolling, stopPolling, refetch } = view;
  const onJobState = useCallback(
    (state: JobState) => {
      if (state.status === "COMPLETED" || state.status === "FAILED") void refetch();
    },
    [refetch],
  );
  const known = record !== undefined && record !== null;
  useEffect(() => {
    if (!known || finished) return;
    startPolling(2000);
    return () => stopPolling();
  }, [known, finished, startPolling, stopPolling]);

  const download = async (name: string, url: string) => {
    if (!auth.token) return;
    setDownloadError(null);
    setDownloading(name);
    try {
      await downloadExportFile(url, name, auth.token);
    } catch (error) {
      setDownloadError(error instanceof Error ? error.message : String(error));
    } finally {
      setDownloading(null);
    }
  };

  if (view.error) return <StatusMessage kind="error">{describeApiError(view.error).message}</StatusMessage>;
  if (!record) return <StatusMessage kind="loading">Loading the export…</StatusMessage>;
  return (
    <div className="export-tracker" data-testid="export-tracker" data-status={record.status}>
      {record.jobId ? <JobProgressBar jobId={record.jobId} label={props.label} onState={onJobState} /> : null}
      <p data-testid="export-status">
        <strong>{props.label}</strong>: {record.status.toLowerCase()}
        {record.error ? ` — ${record.error}` : ""}
        {record.expired ? " (expired: its files are deleted)" : ""}
      </p>
      {record.status === "SUCCEEDED" && !record.expired ? (
        <ul className="file-list" aria-label={`Files of ${props.label}`}>
          {record.files.map((file) => (
            <li key={file.name}>
              <button
                type="button"
                className="button"
                disabled={!file.downloadUrl || downloading !== null}
                onClick={() => file.downloadUrl && void download(file.name, file.downloadUrl)}
              >
                {downloading === file.name ? "Downloading…" : `Download ${file.name}`}
              </button>{" "}
              <small>
                {formatBytes(file.sizeBytes)} · sha256 <code title={file.sha256}>{file.sha256.slice(0, 16)}…</code>
              </small>
            </li>
          ))}
        </ul>
      ) : null}
      {downloadError ? <StatusMessage kind="error">{downloadError}</StatusMessage> : null}
    </div>
  );
}
