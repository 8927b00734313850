"use client";

import { useQuery, useSubscription } from "@apollo/client/react";
import Link from "next/link";
import { useMemo, useState } from "react";
import { EntityHeader } from "../components/entity-header";
import { FactList } from "../components/fact-list";
import { KeyValueTable } from "../components/key-value-table";
import { QueryState } from "../components/query-state";
import { TimeText } from "../components/time-text";
import { type MetricSeriesData, MetricCurves } from "./metric-curves";
import { RunPageQuery, RunProgressSubscription } from "./run-operations";
import { SweepChildren } from "./sweep-children";

/** Merges the epochs streamed live into the stored series (an epoch is a step). */
function withLivePoints(stored: readonly MetricSeriesData[], live: ReadonlyMap<string, Map<number, number>>): MetricSeriesData[] {
  const keys = new Set([...stored.map((line) => line.key), ...live.keys()]);
  return [...keys].map((key) => {
    const points = new Map<number, number>();
    for (const point of stored.find((line) => line.key === key)?.points ?? []) points.set(point.step, point.value);
    for (const [step, value] of live.get(key) ?? []) points.set(step, value);
    return { key, points: [...points].sort((a, b) => a[0] - b[0]).map(([step, value]) => ({ step, value })) };
  });
}

/** A run: status, parameters, metric curves (live while it trains), inputs, commit, outputs, sweep trials. */
export function RunPage(props: { id: string }) {
  const result = useQuery(RunPageQuery, { variables: { id: props.id } });
  const run = result.data?.node?.__typename === "Run" ? result.data.node : null;
  const running = run?.status === "RUNNING" || run?.status === "PENDING";
  const [live, setLive] = useState<ReadonlyMap<string, Map<number, number>>>(new Map());
  const { refetch } = result;

  useSubscription(RunProgressSubscription, {
    variables: { runId: props.id },
    skip: !running,
    onData: ({ data }) => {
      const event = data.data?.runProgress;
      if (!event) return;
      if (event.status) void refetch();
      setLive((current) => {
        const next = new Map(current);
        for (const metric of event.metrics) {
          const points = new Map(next.get(metric.key) ?? []);
          points.set(event.epoch, metric.value);
          next.set(metric.key, points);
        }
        return next;
      });
    },
  });

  const series = useMemo(() => (run ? withLivePoints(run.metrics, live) : []), [run, live]);

  return (
    <div className="page">
      <QueryState
        loading={result.loading}
        error={result.error}
        empty={!run}
        what="the run"
        emptyText="No run has this id, or your token cannot read it."
      >
        {() =>
          run ? (
            <>
              <EntityHeader kind="Run" colorVar="--kind-run" title={`${run.job.name} run`} lineageId={run.id} />
              <FactList
                facts={[
                  [
                    "Status",
                    <span key="s" data-testid="run-status">
                      {run.status.toLowerCase()}
                    </span>,
                  ],
                  ["Job", `${run.job.name}${run.job.jobType ? ` (${run.job.jobType})` : ""}`],
                  ["Namespace", run.job.namespace.name],
                  ["External id", run.externalId ?? "—"],
                  ["Started", <TimeText key="st" iso={run.startedAt ?? run.createdAt} />],
                  ["Ended", <TimeText key="en" iso={run.endedAt} />],
                  [
                    "Sweep",
                    run.parent ? (
                      <Link key="p" href={`/runs/${encodeURIComponent(run.parent.id)}`}>
                        {run.parent.externalId ?? `${run.parent.job.name} run`}
                      </Link>
                    ) : (
                      "—"
                    ),
                  ],
                  ["Error", run.errorMessage ?? "—"],
                ]}
              />
              <section className="panel" aria-labelledby="curves-heading">
                <h2 id="curves-heading">Metric curves</h2>
                {series.some((line) => line.points.length >= 2) ? (
                  <MetricCurves series={series} live={running} />
                ) : (
                  <p className="muted">
                    {running ? "Waiting for the first epochs…" : "No metric was logged over several steps."}
                  </p>
                )}
              </section>
              <div className="two-columns">
                <section className="panel" aria-labelledby="params-heading">
                  <h2 id="params-heading">Parameters</h2>
                  <KeyValueTable caption="Hyperparameters" entries={run.hyperparameters} testId="run-parameters" />
                </section>
                <section className="panel" aria-labelledby="latest-heading">
                  <h2 id="latest-heading">Latest metrics</h2>
                  <KeyValueTable caption="Latest value of each metric" entries={run.latestMetrics} keyLabel="Metric" />
                </section>
              </div>
              <div className="two-columns">
                <section className="panel" aria-labelledby="inputs-heading">
                  <h2 id="inputs-heading">Inputs</h2>
                  {run.inputs.length === 0 && run.features.length === 0 ? (
                    <p className="muted">This run read no registered dataset version.</p>
                  ) : (
                    <ul>
                      {run.inputs.map((input) => (
                        <li key={input.datasetVersion.id}>
                          <Link href={`/dataset-versions/${encodeURIComponent(input.datasetVersion.id)}`}>
                            {input.datasetVersion.dataset.name} v{input.datasetVersion.version}
                          </Link>{" "}
                          <span className="muted">({input.role.toLowerCase()})</span>
                        </li>
                      ))}
                      {run.features.map((feature) => (
                        <li key={feature.id}>
                          feature {feature.name} <span className="muted">({feature.featureSet.name})</span>
                        </li>
                      ))}
                    </ul>
                  )}
                  <h3>Commit</h3>
                  {run.commit ? (
                    <p>
                      <code>{run.commit.sha.slice(0, 12)}</code> in {run.commit.repository}
                      {run.commit.branch ? ` (${run.commit.branch})` : ""}
                      {run.commit.author ? ` by ${run.commit.author}` : ""}
                      {run.commit.message ? (
                        <>
                          <br />
                          <span className="muted">{run.commit.message}</span>
                        </>
                      ) : null}
                    </p>
                  ) : (
                    <p className="muted">No commit recorded.</p>
                  )}
                </section>
                <section className="panel" aria-labelledby="outputs-heading">
                  <h2 id="outputs-heading">Outputs</h2>
                  {run.outputs.length === 0 ? (
                    <p className="muted">This run wrote no registered dataset version.</p>
                  ) : (
                    <ul>
                      {run.outputs.map((output) => (
                        <li key={output.id}>
                          <Link href={`/dataset-versions/${encodeURIComponent(output.id)}`}>
                            {output.dataset.name} v{output.version}
                          </Link>
                        </li>
                      ))}
                    </ul>
                  )}
                </section>
              </div>
              <SweepChildren run={run} />
            </>
          ) : null
        }
      </QueryState>
    </div>
  );
}
