"use client";

import { useQuery } from "@apollo/client/react";
import { useEffect, useState } from "react";
import { describeApiError } from "../apollo/describe-api-error";
import { EntityHeader } from "../components/entity-header";
import { FactList } from "../components/fact-list";
import { QueryState } from "../components/query-state";
import { StatusMessage } from "../components/status-message";
import { TimeText } from "../components/time-text";
import { ComplianceReportPanel } from "../exports/compliance-report-panel";
import { useLiveAlerts } from "../live/live-alerts-context";
import { DeploymentPageQuery, DriftReportsQuery } from "./deployment-operations";
import { DriftDashboard } from "./drift-dashboard";
import { ServingCharts } from "./serving-charts";
import { TrafficAndRevisions } from "./traffic-and-revisions";

/** Serving stats are kept at 10-second granularity: refreshing faster shows nothing new. */
const STATS_REFRESH_MS = 10_000;

/** A deployment: what serves now, its revisions, latency and errors, drift, and its compliance report. */
export function DeploymentPage(props: { id: string }) {
  const [windowSeconds, setWindowSeconds] = useState(3600);
  const result = useQuery(DeploymentPageQuery, { variables: { id: props.id, windowSeconds }, pollInterval: STATS_REFRESH_MS });
  const reports = useQuery(DriftReportsQuery, { variables: { deploymentId: props.id, first: 100 } });
  const deployment = result.data?.node?.__typename === "Deployment" ? result.data.node : null;

  // An alert on this deployment means a new report: read them again.
  const live = useLiveAlerts();
  const latest = live.received.find((alert) => alert.deploymentId === props.id)?.alertId;
  const { refetch } = reports;
  useEffect(() => {
    if (latest) void refetch();
  }, [latest, refetch]);

  const reportNodes = reports.data?.driftReports.edges.map((edge) => edge.node) ?? [];
  return (
    <div className="page">
      <QueryState
        loading={result.loading}
        error={result.error}
        empty={!deployment}
        what="the deployment"
        emptyText="No deployment has this id, or your token cannot read it."
      >
        {() =>
          deployment ? (
            <>
              <EntityHeader kind="Deployment" colorVar="--kind-deployment" title={deployment.name} lineageId={deployment.id} />
              {deployment.description ? <p className="lede">{deployment.description}</p> : null}
              <FactList
                facts={[
                  ["Environment", deployment.environment],
                  ["Namespace", deployment.namespace.name],
                  ["Revision", deployment.currentRevision ? String(deployment.currentRevision.revision) : "—"],
                  ["Since", <TimeText key="s" iso={deployment.currentRevision?.createdAt} />],
                ]}
              />
              <TrafficAndRevisions deployment={deployment} />
              <section className="panel" aria-labelledby="serving-heading">
                <h2 id="serving-heading">Latency and errors</h2>
                <ServingCharts
                  deployment={deployment}
                  reports={reportNodes}
                  windowSeconds={windowSeconds}
                  onWindowChange={setWindowSeconds}
                />
              </section>
              <section className="panel" aria-labelledby="drift-heading">
                <h2 id="drift-heading">Drift</h2>
                {reports.error ? (
                  <StatusMessage kind="error">{describeApiError(reports.error).message}</StatusMessage>
                ) : reports.loading && !reports.data ? (
                  <StatusMessage kind="loading">Loading drift reports…</StatusMessage>
                ) : (
                  <DriftDashboard reports={reportNodes} />
                )}
              </section>
              <ComplianceReportPanel subject={{ deploymentId: deployment.id }} fileStem={deployment.name} />
            </>
          ) : null
        }
      </QueryState>
    </div>
  );
}
