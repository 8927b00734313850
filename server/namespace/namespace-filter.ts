import type { NamespaceService } from "./namespace.service.js";

/** Matches no row: a filter on a namespace that does not exist selects nothing (not an error). */
const NO_NAMESPACE = "00000000-0000-0000-0000-000000000000";

/** Turns a `namespace` name filter into the namespace's row key. */
export async function namespaceKeyFilter(
  namespaces: NamespaceService,
  name: string | null | undefined,
): Promise<string | undefined> {
  if (!name) return undefined;
  return (await namespaces.findByName(name))?.id ?? NO_NAMESPACE;
}
