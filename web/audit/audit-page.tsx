"use client";

import { type FormEvent, useId, useMemo, useState } from "react";
import { AuditExportButtons } from "./audit-export-buttons";
import { type AuditFilterForm, EMPTY_AUDIT_FILTER, toAuditFilter } from "./audit-filter";
import { AuditLog } from "./audit-log";
import { ChainStatus } from "./chain-status";

/** The audit trail: filter it, see whether its hash chain holds, and export it for an auditor. */
export function AuditPage() {
  const ids = { actor: useId(), action: useId(), target: useId(), since: useId(), until: useId() };
  const [form, setForm] = useState<AuditFilterForm>(EMPTY_AUDIT_FILTER);
  const [applied, setApplied] = useState<AuditFilterForm>(EMPTY_AUDIT_FILTER);
  const filter = useMemo(() => toAuditFilter(applied), [applied]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setApplied(form);
  };
  const field = (key: keyof AuditFilterForm) => ({
    value: form[key],
    onChange: (event: { target: { value: string } }) => setForm((current) => ({ ...current, [key]: event.target.value })),
  });
  return (
    <div className="page">
      <h1>Audit trail</h1>
      <form className="filter-form" onSubmit={submit} aria-label="Filter audit events">
        <div>
          <label htmlFor={ids.actor}>Actor</label>
          <input id={ids.actor} type="text" placeholder="e.g. ana@example.com" {...field("actor")} />
        </div>
        <div>
          <label htmlFor={ids.action}>Action</label>
          <input id={ids.action} type="text" placeholder="e.g. model_version.registered" {...field("action")} />
        </div>
        <div>
          <label htmlFor={ids.target}>Target id</label>
          <input id={ids.target} type="text" placeholder="global id" {...field("targetId")} />
        </div>
        <div>
          <label htmlFor={ids.since}>Since (local time)</label>
          <input id={ids.since} type="datetime-local" {...field("since")} />
        </div>
        <div>
          <label htmlFor={ids.until}>Until (local time)</label>
          <input id={ids.until} type="datetime-local" {...field("until")} />
        </div>
        <div className="actions">
          <button type="submit" className="button primary">
            Apply filter
          </button>
          <button
            type="button"
            className="button subtle"
            onClick={() => {
              setForm(EMPTY_AUDIT_FILTER);
              setApplied(EMPTY_AUDIT_FILTER);
            }}
          >
            Clear
          </button>
        </div>
      </form>
      <div className="two-columns">
        <ChainStatus filter={filter} />
        <AuditExportButtons filter={filter} />
      </div>
      <AuditLog filter={filter} />
    </div>
  );
}
