"use client";

import Link from "next/link";
import type { ModelVersionPageQuery } from "../gql/graphql";

type ProvenanceEntry = ModelVersionPageQuery["provenance"]["modelVersions"][number];

/** What produced the model version: runs, exact dataset versions with roles, features and commits. */
export function ProvenanceSummary(props: { provenance: ProvenanceEntry | undefined; truncated: boolean }) {
  const entry = props.provenance;
  if (!entry) return <p className="muted">No provenance recorded.</p>;
  return (
    <div className="provenance" data-testid="provenance">
      <p>
        {entry.runs.length} run{entry.runs.length === 1 ? "" : "s"}, {entry.datasetVersions.length} dataset version
        {entry.datasetVersions.length === 1 ? "" : "s"}, {entry.features.length} feature{entry.features.length === 1 ? "" : "s"},{" "}
        {entry.commits.length} commit{entry.commits.length === 1 ? "" : "s"} upstream
        {props.truncated ? " (more beyond the walk's limit)" : ""}.
      </p>
      <div className="three-columns">
        <div>
          <h3>Runs</h3>
          <ul>
            {entry.runs.map(({ run, depth }) => (
              <li key={run.id}>
                <Link href={`/runs/${encodeURIComponent(run.id)}`}>{run.job.name} run</Link>{" "}
                <span className="muted">
                  ({depth === 1 ? "produced it" : `${depth} hops`}, {run.status.toLowerCase()})
                </span>
              </li>
            ))}
          </ul>
        </div>
        <div>
          <h3>Data</h3>
          <ul>
            {entry.datasetVersions.map(({ datasetVersion, role }) => (
              <li key={datasetVersion.id}>
                <Link href={`/dataset-versions/${encodeURIComponent(datasetVersion.id)}`}>
                  {datasetVersion.dataset.name} v{datasetVersion.version}
                </Link>{" "}
                <span className="muted">({role ? role.toLowerCase() : "via features"})</span>
              </li>
            ))}
          </ul>
        </div>
        <div>
          <h3>Features and code</h3>
          <ul>
            {entry.features.map((feature) => (
              <li key={feature.id}>feature {feature.name}</li>
            ))}
            {entry.commits.map((commit) => (
              <li key={commit.id}>
                commit <code>{commit.sha.slice(0, 10)}</code> <span className="muted">{commit.repository}</span>
              </li>
            ))}
          </ul>
        </div>
      </div>
    </div>
  );
}
