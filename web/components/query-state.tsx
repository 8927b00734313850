import type { ReactNode } from "react";
import { describeApiError } from "../apollo/describe-api-error";
import { StatusMessage } from "./status-message";

/**
 * The loading, error and empty states of one query, in the one look of StatusMessage; renders its
 * children once there is something to show.
 */
export function QueryState(props: {
  loading: boolean;
  error: unknown;
  /** True when the answer has nothing to show. */
  empty: boolean;
  what: string;
  emptyText?: ReactNode;
  children: () => ReactNode;
}) {
  if (props.error) return <StatusMessage kind="error">{describeApiError(props.error).message}</StatusMessage>;
  if (props.loading && props.empty) return <StatusMessage kind="loading">Loading {props.what}…</StatusMessage>;
  if (props.empty) return <StatusMessage kind="empty">{props.emptyText ?? `No ${props.what}.`}</StatusMessage>;
  return <>{props.children()}</>;
}
