import type { ReactNode } from "react";

/** The one look for empty, loading and error states, announced to screen readers. */
export function StatusMessage(props: { kind: "empty" | "loading" | "error"; children: ReactNode }) {
  return (
    <div
      className={`status status-${props.kind}`}
      role={props.kind === "error" ? "alert" : "status"}
      aria-live={props.kind === "error" ? "assertive" : "polite"}
      aria-busy={props.kind === "loading" || undefined}
    >
      {props.children}
    </div>
  );
}
