"use client";

import Link from "next/link";
import { TimeText } from "../components/time-text";
import type { DeploymentPageQuery } from "../gql/graphql";
import { JobProgressBar } from "../jobs/job-progress-bar";

type DeploymentNode = Extract<NonNullable<DeploymentPageQuery["node"]>, { __typename: "Deployment" }>;

/** The split serving now (a stacked bar), the canary in progress and every revision, newest first. */
export function TrafficAndRevisions(props: { deployment: DeploymentNode }) {
  const { deployment } = props;
  const split = deployment.currentRevision?.trafficSplit ?? [];
  const rollout = deployment.activeRollout;
  return (
    <div className="two-columns">
      <section className="panel" aria-labelledby="traffic-heading">
        <h2 id="traffic-heading">Traffic now</h2>
        {split.length === 0 ? (
          <p className="muted">Nothing serves yet: no revision has a traffic split.</p>
        ) : (
          <>
            <div
              className="traffic-bar"
              role="img"
              aria-label={split
                .map((share) => `${share.modelVersion.model.name} v${share.modelVersion.version} ${share.percent} %`)
                .join(", ")}
            >
              {split.map((share, index) => (
                <span
                  key={share.modelVersion.id}
                  style={{ width: `${share.percent}%`, background: `var(--chart-${(index % 6) + 1})` }}
                />
              ))}
            </div>
            <ul data-testid="traffic-split">
              {split.map((share) => (
                <li key={share.modelVersion.id}>
                  <strong>{share.percent} %</strong>{" "}
                  <Link href={`/model-versions/${encodeURIComponent(share.modelVersion.id)}`}>
                    {share.modelVersion.model.name} v{share.modelVersion.version}
                  </Link>
                  {share.modelVersion.aliases.length > 0 ? (
                    <span className="muted"> ({share.modelVersion.aliases.join(", ")})</span>
                  ) : null}
                </li>
              ))}
            </ul>
          </>
        )}
        {rollout ? (
          <div className="rollout">
            <h3>Canary rollout</h3>
            <p>
              v{rollout.canaryModelVersion.version} at {rollout.canaryPercent} % since <TimeText iso={rollout.startedAt} /> ·{" "}
              {rollout.state.toLowerCase()}
            </p>
            {rollout.checkJob ? <JobProgressBar jobId={rollout.checkJob.id} label="Canary health check" /> : null}
          </div>
        ) : null}
      </section>
      <section className="panel" aria-labelledby="revisions-heading">
        <h2 id="revisions-heading">Revisions</h2>
        {deployment.revisions.edges.length === 0 ? (
          <p className="muted">No revision yet.</p>
        ) : (
          <ol className="timeline" data-testid="revisions">
            {deployment.revisions.edges.map(({ node }) => (
              <li key={node.id}>
                <div>
                  <strong>Revision {node.revision}</strong> · <TimeText iso={node.createdAt} /> · {node.actor}
                </div>
                <div>
                  {node.trafficSplit
                    .map((share) => `${share.modelVersion.model.name} v${share.modelVersion.version} ${share.percent} %`)
                    .join(" + ") || "no traffic"}
                </div>
                {node.reason ? <div className="muted">{node.reason}</div> : null}
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}
