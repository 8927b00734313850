/** Snapshot of an entity as stored in an audit event: plain JSON, dates as ISO strings. */
export function toAuditJson(value: unknown): Record<string, unknown> | null {
  if (value === undefined || value === null) return null;
  return JSON.parse(JSON.stringify(value, (_key, item: unknown) => (typeof item === "bigint" ? Number(item) : item))) as Record<
    string,
    unknown
  >;
}
