import type { ReactNode } from "react";

/** Label/value pairs as a description list (the entity pages' summary boxes). */
export function FactList(props: { facts: readonly (readonly [string, ReactNode])[] }) {
  return (
    <dl className="facts">
      {props.facts.map(([term, value]) => (
        <div key={term} className="fact">
          <dt>{term}</dt>
          <dd>{value ?? "—"}</dd>
        </div>
      ))}
    </dl>
  );
}
