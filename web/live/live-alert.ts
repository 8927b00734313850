import type { DriftAlertsSubscription } from "../gql/graphql";

/** One alert as the driftAlerts subscription delivers it. */
export type LiveAlert = DriftAlertsSubscription["driftAlerts"];

/** The kind of an alert as people say it ("Data drift"). */
export function alertKindLabel(kind: string): string {
  return kind.charAt(0) + kind.slice(1).toLowerCase().replace(/_/g, " ");
}
