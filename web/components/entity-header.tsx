import Link from "next/link";
import type { ReactNode } from "react";
import { lineageHref } from "./entity-href";

/** The top of an entity page: its kind, its name, and the way to its lineage graph. */
export function EntityHeader(props: {
  kind: string;
  colorVar: string;
  title: ReactNode;
  lineageId: string;
  children?: ReactNode;
}) {
  return (
    <header className="entity-header">
      <span className="kind-tag" style={{ color: `var(${props.colorVar})` }}>
        {props.kind}
      </span>
      <h1>{props.title}</h1>
      <div className="actions">
        <Link className="button" href={lineageHref(props.lineageId)}>
          Show in lineage graph
        </Link>
        {props.children}
      </div>
    </header>
  );
}
