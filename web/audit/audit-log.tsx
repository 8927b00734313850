"use client";

import { useQuery } from "@apollo/client/react";
import { Fragment, useState } from "react";
import { QueryState } from "../components/query-state";
import { EntityLink } from "../components/entity-link";
import { TimeText } from "../components/time-text";
import type { AuditFilterInput } from "./audit-filter";
import { AuditEventsQuery } from "./audit-operations";

const PAGE = 50;

/** The filtered audit events, newest first, a page at a time; a row opens to show before/after. */
export function AuditLog(props: { filter: AuditFilterInput }) {
  const events = useQuery(AuditEventsQuery, { variables: { filter: props.filter, first: PAGE } });
  const [open, setOpen] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const connection = events.data?.auditEvents;
  const rows = connection?.edges.map((edge) => edge.node) ?? [];
  const more = async () => {
    if (!connection?.pageInfo.endCursor) return;
    setLoadingMore(true);
    try {
      await events.fetchMore({
        variables: { after: connection.pageInfo.endCursor },
        updateQuery: (previous, { fetchMoreResult }) => ({
          auditEvents: {
            ...fetchMoreResult.auditEvents,
            edges: [...previous.auditEvents.edges, ...fetchMoreResult.auditEvents.edges],
          },
        }),
      });
    } finally {
      setLoadingMore(false);
    }
  };
  return (
    <section className="panel" aria-labelledby="log-heading">
      <h2 id="log-heading">Events</h2>
      <QueryState
        loading={events.loading}
        error={events.error}
        empty={rows.length === 0}
        what="audit events"
        emptyText="No audit event matches the filter."
      >
        {() => (
          <>
            <div className="table-scroll">
              <table className="audit-table" data-testid="audit-events">
                <caption className="visually-hidden">Audit events, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Actor</th>
                    <th scope="col">Action</th>
                    <th scope="col">Target</th>
                    <th scope="col">Details</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((event) => (
                    <Fragment key={event.id}>
                      <tr>
                        <td>
                          <TimeText iso={event.occurredAt} />
                        </td>
                        <td>{event.actor}</td>
                        <td>
                          <code>{event.action}</code>
                        </td>
                        <td>
                          <EntityLink typename={event.targetType} id={event.targetId}>
                            {event.targetType}
                          </EntityLink>
                        </td>
                        <td>
                          <button
                            type="button"
                            className="button subtle"
                            aria-expanded={open === event.id}
                            onClick={() => setOpen(open === event.id ? null : event.id)}
                          >
                            {open === event.id ? "Hide" : "Show"}
                          </button>
                        </td>
                      </tr>
                      {open === event.id ? (
                        <tr className="audit-detail">
                          <td colSpan={5}>
                            <dl className="facts">
                              <div className="fact">
                                <dt>Target id</dt>
                                <dd>
                                  <code>{event.targetId}</code>
                                </dd>
                              </div>
                              <div className="fact">
                                <dt>Request</dt>
                                <dd>
                                  {event.requestId ?? "—"} {event.clientAddress ? `from ${event.clientAddress}` : ""}
                                </dd>
                              </div>
                            </dl>
                            <div className="two-columns">
                              <pre>Before: {event.before ? JSON.stringify(event.before, null, 2) : "(nothing)"}</pre>
                              <pre>After: {event.after ? JSON.stringify(event.after, null, 2) : "(nothing)"}</pre>
                            </div>
                          </td>
                        </tr>
                      ) : null}
                    </Fragment>
                  ))}
                </tbody>
              </table>
            </div>
            {connection?.pageInfo.hasNextPage ? (
              <button type="button" className="button" onClick={() => void more()} disabled={loadingMore}>
                {loadingMore ? "Loading…" : "Load older events"}
              </button>
            ) : (
              <p className="muted">{rows.length.toLocaleString()} events shown: that is all that match.</p>
            )}
          </>
        )}
      </QueryState>
    </section>
  );
}
