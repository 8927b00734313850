import Link from "next/link";
import type { ReactNode } from "react";
import { entityHref } from "./entity-href";

/** A link to an object's page, or its plain label when the kind has no page. */
export function EntityLink(props: { typename: string; id: string; children: ReactNode }) {
  const href = entityHref(props.typename, props.id);
  return href ? <Link href={href}>{props.children}</Link> : <span>{props.children}</span>;
}
