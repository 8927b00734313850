"use client";

import Link from "next/link";
import { alertKindLabel, type LiveAlert } from "./live-alert";

/**
 * New alerts as toasts in a corner, announced politely to screen readers; each links to its
 * deployment and can be dismissed (they also go away by themselves).
 */
export function ToastRegion(props: { toasts: readonly LiveAlert[]; onDismiss: (alertId: string) => void }) {
  return (
    <section className="toasts" aria-label="Notifications" aria-live="polite" data-testid="toasts">
      {props.toasts.map((toast) => (
        <div
          key={toast.alertId}
          className={`toast severity-${toast.severity.toLowerCase()}`}
          data-testid="alert-toast"
          data-alert-id={toast.alertId}
        >
          <strong>
            {alertKindLabel(toast.kind)} alert · {toast.severity.toLowerCase()}
          </strong>
          <p>{toast.message}</p>
          <div className="actions">
            <Link href={`/deployments/${encodeURIComponent(toast.deploymentId)}`} onClick={() => props.onDismiss(toast.alertId)}>
              Open deployment
            </Link>
            <button
              type="button"
              className="button subtle"
              onClick={() => props.onDismiss(toast.alertId)}
              aria-label={`Dismiss ${alertKindLabel(toast.kind)} alert`}
            >
              Dismiss
            </button>
          </div>
        </div>
      ))}
    </section>
  );
}
