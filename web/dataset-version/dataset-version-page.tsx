"use client";

import { useQuery } from "@apollo/client/react";
import Link from "next/link";
import { EntityHeader } from "../components/entity-header";
import { FactList } from "../components/fact-list";
import { QueryState } from "../components/query-state";
import { TimeText } from "../components/time-text";
import { DatasetVersionPageQuery } from "./dataset-version-operations";

const formatBytes = (bytes: number) => {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
};

/** A dataset version: where it is, its digest and schema, the run that wrote it and the runs that read it. */
export function DatasetVersionPage(props: { id: string }) {
  const result = useQuery(DatasetVersionPageQuery, { variables: { id: props.id } });
  const version = result.data?.node?.__typename === "DatasetVersion" ? result.data.node : null;
  return (
    <div className="page">
      <QueryState
        loading={result.loading}
        error={result.error}
        empty={!version}
        what="the dataset version"
        emptyText="No dataset version has this id, or your token cannot read it."
      >
        {() =>
          version ? (
            <>
              <EntityHeader
                kind="Dataset version"
                colorVar="--kind-dataset"
                title={`${version.dataset.name} v${version.version}`}
                lineageId={version.id}
              />
              {version.dataset.description ? <p className="lede">{version.dataset.description}</p> : null}
              <FactList
                facts={[
                  ["Namespace", version.dataset.namespace.name],
                  ["URI", <code key="u">{version.uri}</code>],
                  ["Format", version.format.toLowerCase()],
                  [
                    "Digest",
                    <code key="d" data-testid="digest">
                      {version.digest}
                    </code>,
                  ],
                  ["Rows", version.rowCount === null ? "—" : version.rowCount.toLocaleString()],
                  ["Size", version.sizeBytes === null ? "—" : formatBytes(version.sizeBytes)],
                  ["Snapshot", version.snapshotRef ?? "—"],
                  ["Registered", <TimeText key="c" iso={version.createdAt} />],
                ]}
              />
              <section className="panel" aria-labelledby="schema-heading">
                <h2 id="schema-heading">Schema ({version.schema.length} columns)</h2>
                {version.schema.length === 0 ? (
                  <p className="muted">Registered without a schema.</p>
                ) : (
                  <table data-testid="schema">
                    <caption className="visually-hidden">Columns of this version</caption>
                    <thead>
                      <tr>
                        <th scope="col">Column</th>
                        <th scope="col">Type</th>
                        <th scope="col">Description</th>
                      </tr>
                    </thead>
                    <tbody>
                      {version.schema.map((field) => (
                        <tr key={field.name}>
                          <th scope="row">
                            <code>{field.name}</code>
                          </th>
                          <td>{field.type}</td>
                          <td>{field.description ?? ""}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
              </section>
              <div className="two-columns">
                <section className="panel" aria-labelledby="producer-heading">
                  <h2 id="producer-heading">Producer</h2>
                  {version.producedBy ? (
                    <p>
                      <Link href={`/runs/${encodeURIComponent(version.producedBy.id)}`}>{version.producedBy.job.name} run</Link>{" "}
                      <span className="muted">
                        ({version.producedBy.status.toLowerCase()}, <TimeText iso={version.producedBy.createdAt} />)
                      </span>
                    </p>
                  ) : (
                    <p className="muted">No registered run wrote this version.</p>
                  )}
                </section>
                <section className="panel" aria-labelledby="consumers-heading">
                  <h2 id="consumers-heading">Consumers ({version.consumedBy.length})</h2>
                  {version.consumedBy.length === 0 ? (
                    <p className="muted">No run has read this version yet.</p>
                  ) : (
                    <ul data-testid="consumers">
                      {version.consumedBy.map((run) => {
                        const role = run.inputs.find((input) => input.datasetVersion.id === version.id)?.role;
                        return (
                          <li key={run.id}>
                            <Link href={`/runs/${encodeURIComponent(run.id)}`}>{run.job.name} run</Link>{" "}
                            <span className="muted">
                              ({role ? `${role.toLowerCase()}, ` : ""}
                              {run.status.toLowerCase()}, <TimeText iso={run.createdAt} />)
                            </span>
                          </li>
                        );
                      })}
                    </ul>
                  )}
                </section>
              </div>
            </>
          ) : null
        }
      </QueryState>
    </div>
  );
}
