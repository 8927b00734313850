/**
 * The namespaces whose records a caller may list (`AccessScope.visibleNamespaceIds()`), as list
 * filters take it: undefined means every namespace (no restriction), an empty array none.
 */
export type VisibleNamespaceIds = readonly string[] | undefined;

/**
 * True when the caller may read no namespace: list repositories answer an empty page and a zero
 * count without a query.
 */
export function seesNoNamespace(visible: VisibleNamespaceIds): boolean {
  return visible !== undefined && visible.length === 0;
}
