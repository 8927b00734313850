"use client";

import { useQuery } from "@apollo/client/react";
import Link from "next/link";
import { useMemo } from "react";
import { BarChart } from "../charts/bar-chart";
import { formatValue } from "../charts/chart-series";
import { EntityHeader } from "../components/entity-header";
import { FactList } from "../components/fact-list";
import { KeyValueTable } from "../components/key-value-table";
import { QueryState } from "../components/query-state";
import { TimeText } from "../components/time-text";
import { ComplianceReportPanel } from "../exports/compliance-report-panel";
import { ModelVersionPageQuery } from "./model-version-operations";
import { ProvenanceSummary } from "./provenance-summary";

/** Metrics other than the per-feature importance entries (shown as their own chart). */
function plainMetrics(metrics: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(metrics).filter(([key]) => !key.startsWith("featureImportance.")));
}

/** A model version: status, aliases, provenance, metrics, feature importance, compliance report. */
export function ModelVersionPage(props: { id: string }) {
  const result = useQuery(ModelVersionPageQuery, { variables: { id: props.id } });
  const version = result.data?.node?.__typename === "ModelVersion" ? result.data.node : null;
  const importance = version?.featureImportance ?? [];
  const categories = useMemo(() => importance.map((entry) => entry.feature), [importance]);
  const importanceSeries = useMemo(
    () => [{ label: "Importance", values: importance.map((entry) => entry.importance), colorVar: "--kind-model" }],
    [importance],
  );
  return (
    <div className="page">
      <QueryState
        loading={result.loading}
        error={result.error}
        empty={!version}
        what="the model version"
        emptyText="No model version has this id, or your token cannot read it."
      >
        {() =>
          version ? (
            <>
              <EntityHeader
                kind="Model version"
                colorVar="--kind-model"
                title={`${version.model.name} v${version.version}`}
                lineageId={version.id}
              />
              {version.description ? <p className="lede">{version.description}</p> : null}
              <FactList
                facts={[
                  ["Status", `${version.status.toLowerCase()}${version.statusReason ? ` (${version.statusReason})` : ""}`],
                  [
                    "Aliases",
                    <span key="a" data-testid="aliases">
                      {version.aliases.length > 0 ? version.aliases.join(", ") : "—"}
                    </span>,
                  ],
                  ["Namespace", version.model.namespace.name],
                  ["Registered", <TimeText key="c" iso={version.createdAt} />],
                  ["Artifact", <code key="u">{version.artifactUri}</code>],
                  ["SHA-256", <code key="s">{version.artifactSha256}</code>],
                  [
                    "Source run",
                    version.sourceRun ? (
                      <Link key="r" href={`/runs/${encodeURIComponent(version.sourceRun.id)}`}>
                        {version.sourceRun.job.name} run
                      </Link>
                    ) : (
                      "—"
                    ),
                  ],
                  [
                    "Other aliases",
                    version.model.aliases
                      .filter((entry) => entry.modelVersion.id !== version.id)
                      .map((entry) => `${entry.alias} → v${entry.modelVersion.version}`)
                      .join(", ") || "—",
                  ],
                ]}
              />
              <section className="panel" aria-labelledby="provenance-heading">
                <h2 id="provenance-heading">Provenance</h2>
                <ProvenanceSummary
                  provenance={result.data?.provenance.modelVersions[0]}
                  truncated={result.data?.provenance.truncated ?? false}
                />
              </section>
              <div className="two-columns">
                <section className="panel" aria-labelledby="metrics-heading">
                  <h2 id="metrics-heading">Metrics</h2>
                  <KeyValueTable
                    caption="Evaluation metrics"
                    entries={plainMetrics(version.metrics)}
                    keyLabel="Metric"
                    testId="model-metrics"
                  />
                </section>
                <section className="panel" aria-labelledby="importance-heading">
                  <h2 id="importance-heading">Feature importance</h2>
                  {importance.length === 0 ? (
                    <p className="muted">No feature importance was recorded at training.</p>
                  ) : (
                    <BarChart
                      title="Permutation importance per feature"
                      summary={`Most important: ${importance[0]?.feature} (${formatValue(importance[0]?.importance)}).`}
                      categories={categories}
                      categoryLabel="Feature"
                      series={importanceSeries}
                      testId="feature-importance"
                    />
                  )}
                </section>
              </div>
              <ComplianceReportPanel
                subject={{ modelVersionId: version.id }}
                fileStem={`${version.model.name}-v${version.version}`}
              />
            </>
          ) : null
        }
      </QueryState>
    </div>
  );
}
