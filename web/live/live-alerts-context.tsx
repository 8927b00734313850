"use client";

import { useSubscription } from "@apollo/client/react";
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";
import type { LiveConnection } from "../apollo/create-apollo-client";
import { useAuth } from "../auth/auth-context";
import { DriftAlertsSubscription } from "./alert-operations";
import { alertKindLabel, type LiveAlert } from "./live-alert";
import { ToastRegion } from "./toast-region";

/** Browser notification permission, or "unsupported" where the API is missing. */
export type NotificationState = NotificationPermission | "unsupported";

export interface LiveAlertsState {
  /** Whether the subscription WebSocket is open. */
  connection: LiveConnection;
  /** Alerts received since this tab signed in, newest first (at most MAX_KEPT). */
  received: readonly LiveAlert[];
  /** Received since the alerts page was last looked at. */
  unseen: number;
  markSeen: () => void;
  notifications: NotificationState;
  requestNotifications: () => Promise<void>;
}

const MAX_KEPT = 100;
const TOAST_MS = 12_000;

const LiveAlertsContext = createContext<LiveAlertsState | null>(null);

function notificationState(): NotificationState {
  return typeof window !== "undefined" && "Notification" in window ? Notification.permission : "unsupported";
}

/**
 * The driftAlerts subscription for the whole tab (every page): each alert is kept for the alerts
 * page, shown as a toast, and — when the user allowed it — as a browser notification.
 */
export function LiveAlertsProvider(props: { connection: LiveConnection; children: ReactNode }) {
  const auth = useAuth();
  const [received, setReceived] = useState<readonly LiveAlert[]>([]);
  const [unseen, setUnseen] = useState(0);
  const [toasts, setToasts] = useState<readonly LiveAlert[]>([]);
  const [notifications, setNotifications] = useState<NotificationState>("unsupported");
  useEffect(() => setNotifications(notificationState()), []);

  const dismiss = useCallback(
    (alertId: string) => setToasts((current) => current.filter((toast) => toast.alertId !== alertId)),
    [],
  );

  useSubscription(DriftAlertsSubscription, {
    skip: !auth.token,
    variables: {},
    onData: ({ data }) => {
      const alert = data.data?.driftAlerts;
      if (!alert) return;
      setReceived((current) => [alert, ...current.filter((known) => known.alertId !== alert.alertId)].slice(0, MAX_KEPT));
      setUnseen((count) => count + 1);
      setToasts((current) => [alert, ...current].slice(0, 4));
      setTimeout(() => dismiss(alert.alertId), TOAST_MS);
      if (notificationState() === "granted") {
        const notification = new Notification(`${alertKindLabel(alert.kind)} alert (${alert.severity.toLowerCase()})`, {
          body: alert.message,
          tag: alert.alertId,
        });
        notification.onclick = () => {
          window.focus();
          window.location.assign(`/deployments/${encodeURIComponent(alert.deploymentId)}`);
        };
      }
    },
  });

  // A new token sees a new stream.
  useEffect(() => {
    if (auth.token) return;
    setReceived([]);
    setUnseen(0);
    setToasts([]);
  }, [auth.token]);

  const requestNotifications = useCallback(async () => {
    if (notificationState() === "unsupported") return;
    setNotifications(await Notification.requestPermission());
  }, []);
  const markSeen = useCallback(() => setUnseen(0), []);

  const value = useMemo<LiveAlertsState>(
    () => ({ connection: props.connection, received, unseen, markSeen, notifications, requestNotifications }),
    [props.connection, received, unseen, markSeen, notifications, requestNotifications],
  );
  return (
    <LiveAlertsContext.Provider value={value}>
      {props.children}
      <ToastRegion toasts={toasts} onDismiss={dismiss} />
    </LiveAlertsContext.Provider>
  );
}

export function useLiveAlerts(): LiveAlertsState {
  const state = useContext(LiveAlertsContext);
  if (!state) throw new Error("useLiveAlerts needs a <LiveAlertsProvider> above it");
  return state;
}
