"use client";

import { useMutation, useQuery } from "@apollo/client/react";
import Link from "next/link";
import { useEffect, useId, useMemo, useState } from "react";
import { describeApiError } from "../apollo/describe-api-error";
import { StatusMessage } from "../components/status-message";
import { TimeText } from "../components/time-text";
import type { AlertKind, AlertStatus } from "../gql/graphql";
import { AcknowledgeAlertMutation, AlertsQuery, ResolveAlertMutation } from "../live/alert-operations";
import { alertKindLabel } from "../live/live-alert";
import { useLiveAlerts } from "../live/live-alerts-context";

const STATUSES: AlertStatus[] = ["OPEN", "ACKNOWLEDGED", "RESOLVED"];
const KINDS: AlertKind[] = ["DATA_DRIFT", "PREDICTION_DRIFT", "LATENCY", "ERROR_RATE", "ACCURACY"];

const LIVE_TEXT: Record<string, string> = {
  idle: "Live updates: starting",
  connecting: "Live updates: connecting…",
  connected: "Live updates: on",
  closed: "Live updates: reconnecting…",
};

interface FeedItem {
  id: string;
  kind: string;
  severity: string;
  message: string;
  raisedAt: string;
  status: AlertStatus | null;
  deploymentId: string;
  deploymentName: string | null;
  driftingFeatures: readonly string[];
  /** Arrived over the subscription while this tab was open. */
  live: boolean;
}

/**
 * The alerts feed: stored alerts (filterable by status and kind) with the ones the subscription
 * delivers on top as they are raised — no reload — and a switch for browser notifications.
 */
export function AlertsFeed() {
  const statusId = useId();
  const kindId = useId();
  const live = useLiveAlerts();
  const [status, setStatus] = useState<AlertStatus | "">("OPEN");
  const [kind, setKind] = useState<AlertKind | "">("");
  const filter = { ...(status ? { statuses: [status] } : {}), ...(kind ? { kinds: [kind] } : {}) };
  const stored = useQuery(AlertsQuery, { variables: { filter, first: 50 } });
  const [acknowledge] = useMutation(AcknowledgeAlertMutation);
  const [resolve] = useMutation(ResolveAlertMutation);
  const [actionError, setActionError] = useState<string | null>(null);

  // Being on this page means the new ones are seen; a new arrival also refreshes the stored list.
  const { markSeen } = live;
  const newest = live.received[0]?.alertId;
  const { refetch } = stored;
  useEffect(() => {
    markSeen();
    if (newest) void refetch();
  }, [newest, markSeen, refetch]);

  const items = useMemo<FeedItem[]>(() => {
    const storedItems: FeedItem[] = (stored.data?.alerts.edges ?? []).map(({ node }) => ({
      id: node.id,
      kind: node.kind,
      severity: node.severity,
      message: node.message,
      raisedAt: node.raisedAt,
      status: node.status,
      deploymentId: node.deployment.id,
      deploymentName: `${node.deployment.name} (${node.deployment.environment})`,
      driftingFeatures: node.driftingFeatures,
      live: false,
    }));
    const liveIds = new Set(live.received.map((alert) => alert.alertId));
    const storedIds = new Set(storedItems.map((item) => item.id));
    const liveItems: FeedItem[] = live.received
      .filter((alert) => !storedIds.has(alert.alertId) && (!kind || alert.kind === kind) && (!status || status === "OPEN"))
      .map((alert) => ({
        id: alert.alertId,
        kind: alert.kind,
        severity: alert.severity,
        message: alert.message,
        raisedAt: alert.raisedAt,
        status: null,
        deploymentId: alert.deploymentId,
        deploymentName: null,
        driftingFeatures: alert.driftingFeatures,
        live: true,
      }));
    return [...liveItems, ...storedItems.map((item) => ({ ...item, live: liveIds.has(item.id) }))].sort((a, b) =>
      b.raisedAt.localeCompare(a.raisedAt),
    );
  }, [stored.data, live.received, kind, status]);

  const act = async (action: "acknowledge" | "resolve", id: string) => {
    setActionError(null);
    try {
      await (action === "acknowledge" ? acknowledge({ variables: { id } }) : resolve({ variables: { id } }));
      await refetch();
    } catch (error) {
      setActionError(describeApiError(error).message);
    }
  };

  return (
    <section className="page" aria-labelledby="alerts-heading">
      <h1 id="alerts-heading">Alerts</h1>
      <p className="lede">
        Drift, prediction drift, latency, error-rate and accuracy alerts of every deployment you can read. New ones appear here as
        they are raised.
      </p>
      <div className="toolbar-row">
        <label htmlFor={statusId}>Status</label>
        <select id={statusId} value={status} onChange={(event) => setStatus(event.target.value as AlertStatus | "")}>
          <option value="">Any</option>
          {STATUSES.map((value) => (
            <option key={value} value={value}>
              {value.toLowerCase()}
            </option>
          ))}
        </select>
        <label htmlFor={kindId}>Kind</label>
        <select id={kindId} value={kind} onChange={(event) => setKind(event.target.value as AlertKind | "")}>
          <option value="">Any</option>
          {KINDS.map((value) => (
            <option key={value} value={value}>
              {alertKindLabel(value)}
            </option>
          ))}
        </select>
        <NotificationSwitch />
        <span className="muted" data-testid="live-status" data-connection={live.connection}>
          {LIVE_TEXT[live.connection]}
        </span>
      </div>
      {actionError ? <StatusMessage kind="error">{actionError}</StatusMessage> : null}
      {stored.error ? (
        <StatusMessage kind="error">{describeApiError(stored.error).message}</StatusMessage>
      ) : stored.loading && items.length === 0 ? (
        <StatusMessage kind="loading">Loading alerts…</StatusMessage>
      ) : items.length === 0 ? (
        <StatusMessage kind="empty">No alerts match. New ones will appear here as they are raised.</StatusMessage>
      ) : (
        <ol className="alert-feed" aria-label="Alerts, newest first" data-testid="alert-feed">
          {items.map((item) => (
            <li
              key={item.id}
              className={`alert-item severity-${item.severity.toLowerCase()}`}
              data-testid="alert-item"
              data-alert-id={item.id}
            >
              <div className="alert-head">
                <span className="kind-tag">{alertKindLabel(item.kind)}</span>
                <span className={`severity severity-${item.severity.toLowerCase()}`}>{item.severity.toLowerCase()}</span>
                {item.live ? <span className="badge">new</span> : null}
                {item.status ? <span className="alert-status">{item.status.toLowerCase()}</span> : null}
                <TimeText iso={item.raisedAt} />
              </div>
              <p>{item.message}</p>
              <div className="actions">
                <Link href={`/deployments/${encodeURIComponent(item.deploymentId)}`}>
                  {item.deploymentName ?? "Open deployment"}
                </Link>
                {item.status === "OPEN" ? (
                  <button type="button" className="button subtle" onClick={() => void act("acknowledge", item.id)}>
                    Acknowledge
                  </button>
                ) : null}
                {item.status && item.status !== "RESOLVED" ? (
                  <button type="button" className="button subtle" onClick={() => void act("resolve", item.id)}>
                    Resolve
                  </button>
                ) : null}
              </div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function NotificationSwitch() {
  const live = useLiveAlerts();
  if (live.notifications === "unsupported") return <span className="muted">This browser has no notifications.</span>;
  if (live.notifications === "granted") return <span className="muted">Browser notifications: on</span>;
  if (live.notifications === "denied")
    return <span className="muted">Browser notifications: blocked in this browser's settings</span>;
  return (
    <button type="button" className="button" onClick={() => void live.requestNotifications()}>
      Enable browser notifications
    </button>
  );
}
