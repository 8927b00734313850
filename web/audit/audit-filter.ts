/** What the audit page filters by, as typed in its form (times in the browser's local time). */
export interface AuditFilterForm {
  actor: string;
  action: string;
  targetId: string;
  /** datetime-local values ("2026-11-08T10:00"), or "". */
  since: string;
  until: string;
}

export const EMPTY_AUDIT_FILTER: AuditFilterForm = { actor: "", action: "", targetId: "", since: "", until: "" };

export interface AuditFilterInput {
  actor?: string;
  action?: string;
  targetId?: string;
  since?: string;
  until?: string;
}

/** The API filter (UTC ISO instants; blank fields left out), shared by the log, the chain check and exports. */
export function toAuditFilter(form: AuditFilterForm): AuditFilterInput {
  const filter: AuditFilterInput = {};
  if (form.actor.trim()) filter.actor = form.actor.trim();
  if (form.action.trim()) filter.action = form.action.trim();
  if (form.targetId.trim()) filter.targetId = form.targetId.trim();
  const since = localToIso(form.since);
  const until = localToIso(form.until);
  if (since) filter.since = since;
  if (until) filter.until = until;
  return filter;
}

function localToIso(value: string): string | undefined {
  if (!value) return undefined;
  const time = new Date(value).getTime();
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}
