"use client";

import Link from "next/link";
import { formatValue } from "../charts/chart-series";
import { TimeText } from "../components/time-text";
import type { RunPageQuery } from "../gql/graphql";
import { JobProgressBar } from "../jobs/job-progress-bar";

type RunNode = Extract<NonNullable<RunPageQuery["node"]>, { __typename: "Run" }>;

const valueText = (value: unknown) => (typeof value === "number" ? formatValue(value) : JSON.stringify(value));

/** A sweep's trials: their hyperparameters and latest metrics, the best one marked, and the sweep's progress. */
export function SweepChildren(props: { run: RunNode }) {
  const { run } = props;
  const sweep = run.sweep;
  const children = run.children.edges.map((edge) => edge.node);
  if (!sweep && children.length === 0) return null;
  const bestId = sweep?.bestChild?.id ?? null;
  const paramKeys = [...new Set(children.flatMap((child) => Object.keys(child.hyperparameters)))].sort();
  const metricKeys = [...new Set(children.flatMap((child) => Object.keys(child.latestMetrics)))]
    .filter((key) => !key.startsWith("featureImportance."))
    .sort()
    .slice(0, 6);
  return (
    <section className="panel" aria-labelledby="sweep-heading">
      <h2 id="sweep-heading">Sweep trials ({run.children.totalCount.toLocaleString()})</h2>
      {sweep ? (
        <p>
          {sweep.strategy.toLowerCase()} search, {sweep.goal.toLowerCase()} <code>{sweep.metric}</code>: {sweep.completedTrials}{" "}
          of {sweep.trialCount} trials done, {sweep.failedTrials} failed
          {sweep.bestMetric !== null ? `; best ${formatValue(sweep.bestMetric)}` : ""}.
        </p>
      ) : null}
      {sweep?.job && sweep.job.status !== "COMPLETED" ? <JobProgressBar jobId={sweep.job.id} label="Sweep progress" /> : null}
      {children.length === 0 ? (
        <p className="muted">No trials yet.</p>
      ) : (
        <div className="table-scroll">
          <table data-testid="sweep-children">
            <caption className="visually-hidden">Trials of this sweep</caption>
            <thead>
              <tr>
                <th scope="col">Trial</th>
                <th scope="col">Status</th>
                {paramKeys.map((key) => (
                  <th scope="col" key={`p-${key}`}>
                    {key}
                  </th>
                ))}
                {metricKeys.map((key) => (
                  <th scope="col" key={`m-${key}`}>
                    {key}
                  </th>
                ))}
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {children.map((child, index) => (
                <tr key={child.id} className={child.id === bestId ? "best" : undefined}>
                  <th scope="row">
                    <Link href={`/runs/${encodeURIComponent(child.id)}`}>{child.externalId ?? `trial ${index + 1}`}</Link>
                    {child.id === bestId ? <span className="badge">best</span> : null}
                  </th>
                  <td>{child.status.toLowerCase()}</td>
                  {paramKeys.map((key) => (
                    <td key={`p-${key}`}>{valueText(child.hyperparameters[key])}</td>
                  ))}
                  {metricKeys.map((key) => (
                    <td key={`m-${key}`}>{valueText(child.latestMetrics[key])}</td>
                  ))}
                  <td>
                    <TimeText iso={child.createdAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
