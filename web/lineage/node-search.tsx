"use client";

import { useQuery } from "@apollo/client/react";
import Link from "next/link";
import { useEffect, useId, useState } from "react";
import { describeApiError } from "../apollo/describe-api-error";
import { entityHref } from "../components/entity-href";
import { StatusMessage } from "../components/status-message";
import type { SearchNodesQuery as SearchNodesResult } from "../gql/graphql";
import { SearchNodesQuery } from "./lineage-operations";

interface SearchHit {
  key: string;
  kind: string;
  title: string;
  subtitle: string;
  /** The lineage node to open; null when there is none yet (a dataset without versions). */
  lineageId: string | null;
}

/** The page a hit opens: a deployment's own, else that of the version or run the graph centres on. */
const PAGE_TYPENAME: Record<string, string> = {
  Deployment: "Deployment",
  Model: "ModelVersion",
  Dataset: "DatasetVersion",
  Job: "Run",
};

function pageOf(hit: SearchHit): string | null {
  const typename = PAGE_TYPENAME[hit.kind];
  return typename && hit.lineageId ? entityHref(typename, hit.lineageId) : null;
}

function toHits(data: SearchNodesResult): SearchHit[] {
  return [
    ...data.deployments.edges.map(({ node }) => ({
      key: node.id,
      kind: "Deployment",
      title: node.name,
      subtitle: `${node.environment} · ${node.namespace.name}`,
      lineageId: node.id,
    })),
    ...data.models.edges.map(({ node }) => ({
      key: node.id,
      kind: "Model",
      title: node.name,
      subtitle: node.latestVersion ? `latest v${node.latestVersion.version} · ${node.namespace.name}` : "no versions",
      lineageId: node.latestVersion?.id ?? null,
    })),
    ...data.datasets.edges.map(({ node }) => {
      const latest = node.versions.edges[0]?.node;
      return {
        key: node.id,
        kind: "Dataset",
        title: node.name,
        subtitle: latest ? `latest v${latest.version} · ${node.namespace.name}` : "no versions",
        lineageId: latest?.id ?? null,
      };
    }),
    ...data.jobs.edges.map(({ node }) => {
      const latest = node.runs.edges[0]?.node;
      return {
        key: node.id,
        kind: "Job",
        title: node.name,
        subtitle: latest ? `latest run ${latest.status.toLowerCase()} · ${node.namespace.name}` : "no runs",
        lineageId: latest?.id ?? null,
      };
    }),
    ...data.features.edges.map(({ node }) => ({
      key: node.id,
      kind: "Feature",
      title: node.name,
      subtitle: node.featureSet.name,
      lineageId: node.id,
    })),
  ];
}

/** Finds deployments, models, datasets, jobs and features by part of their name. */
export function NodeSearch(props: { onOpen: (lineageId: string) => void }) {
  const inputId = useId();
  const [text, setText] = useState("");
  const [query, setQuery] = useState("");
  useEffect(() => {
    const timer = setTimeout(() => setQuery(text.trim()), 250);
    return () => clearTimeout(timer);
  }, [text]);
  const result = useQuery(SearchNodesQuery, { variables: { text: query, first: 8 }, skip: query.length < 2 });
  const hits = result.data ? toHits(result.data) : [];

  return (
    <section aria-labelledby={`${inputId}-heading`}>
      <h2 id={`${inputId}-heading`} className="visually-hidden">
        Search
      </h2>
      <label htmlFor={inputId}>Search by name</label>
      <input
        id={inputId}
        type="search"
        value={text}
        placeholder="deployment, model, dataset, job, feature"
        onChange={(event) => setText(event.target.value)}
        style={{ width: "100%" }}
      />
      {query.length < 2 ? null : result.error ? (
        <StatusMessage kind="error">{describeApiError(result.error).message}</StatusMessage>
      ) : result.loading && !result.data ? (
        <StatusMessage kind="loading">Searching…</StatusMessage>
      ) : hits.length === 0 ? (
        <StatusMessage kind="empty">Nothing is named like “{query}”.</StatusMessage>
      ) : (
        <ul className="search-results" aria-label="Search results">
          {hits.map((hit) => (
            <li key={hit.key} className="search-hit">
              <button
                type="button"
                className="button subtle"
                disabled={!hit.lineageId}
                onClick={() => hit.lineageId && props.onOpen(hit.lineageId)}
              >
                <span className="kind-tag">{hit.kind}</span>
                {hit.title}
                <br />
                <small>{hit.subtitle}</small>
              </button>
              {pageOf(hit) ? (
                <Link className="hit-page" href={pageOf(hit) as string} aria-label={`Open the page of ${hit.title}`}>
                  Page
                </Link>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
