"use client";

import { useApolloClient, useQuery } from "@apollo/client/react";
import { ReactFlowProvider } from "@xyflow/react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useMemo, useState } from "react";
import { describeApiError } from "../apollo/describe-api-error";
import { StatusMessage } from "../components/status-message";
import type { LineageDirection, LineageEdgeKind, LineageNodeType } from "../gql/graphql";
import { LineageFilters } from "./lineage-filters";
import { LineageGraphView, MAX_DRAWN_NODES } from "./lineage-graph-view";
import { changeMoments, EMPTY_GRAPH, impactSet, type LineageGraphData, mergeLineage, mergeMoments } from "./lineage-model";
import { LineageAroundQuery } from "./lineage-operations";
import { NodeDetails } from "./node-details";
import { NodeSearch } from "./node-search";
import { DEFAULT_HIDDEN_EDGE_KINDS, DEFAULT_HIDDEN_NODE_TYPES } from "./node-kinds";
import { TimeSlider } from "./time-slider";

/** Hops shown around the chosen node; expansions add one hop at a time. */
const ROOT_DEPTH = 3;
/** The API's default cap on one lineage answer. */
const ROOT_LIMIT = 2000;
const IMPACT_DEPTH = 10;

/**
 * The lineage explorer: search a node, see the graph around it (`?node=<id>`), expand it node by
 * node, filter kinds, highlight a node's impact set and replay it as of a past moment (`&asOf=`).
 */
export function LineageExplorer() {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const client = useApolloClient();
  const rootId = searchParams.get("node");
  const asOf = searchParams.get("asOf");

  const [graph, setGraph] = useState<LineageGraphData>(EMPTY_GRAPH);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [impactRootId, setImpactRootId] = useState<string | null>(null);
  const [hiddenNodeTypes, setHiddenNodeTypes] = useState<ReadonlySet<LineageNodeType>>(new Set(DEFAULT_HIDDEN_NODE_TYPES));
  const [hiddenEdgeKinds, setHiddenEdgeKinds] = useState<ReadonlySet<LineageEdgeKind>>(new Set(DEFAULT_HIDDEN_EDGE_KINDS));
  const [busy, setBusy] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [collapsedCount, setCollapsedCount] = useState(0);
  const [layoutPending, setLayoutPending] = useState(false);
  const [moments, setMoments] = useState<readonly number[]>([]);
  /** The asOf of the answer on screen (tests and screen readers wait for it). */
  const [shownAsOf, setShownAsOf] = useState<string | null>(null);

  const setParams = useCallback(
    (changes: Record<string, string | null>) => {
      const params = new URLSearchParams(searchParams.toString());
      for (const [key, value] of Object.entries(changes)) {
        if (value === null) params.delete(key);
        else params.set(key, value);
      }
      router.push(`${pathname}?${params.toString()}`);
    },
    [router, pathname, searchParams],
  );

  const root = useQuery(LineageAroundQuery, {
    variables: { nodeId: rootId ?? "", direction: "BOTH", depth: ROOT_DEPTH, limit: ROOT_LIMIT, asOf },
    skip: !rootId,
    fetchPolicy: "network-only",
  });

  useEffect(() => {
    if (!root.data) return;
    const fresh = mergeLineage(EMPTY_GRAPH, root.data.lineage);
    setGraph(fresh);
    setShownAsOf(asOf);
    setImpactRootId(null);
    // The slider's stops: every change seen around this root, kept while replaying the past
    // (an answer as of T lacks the later changes).
    setMoments((previous) => mergeMoments(previous, changeMoments(fresh.edges.values())));
  }, [root.data, asOf]);

  // A new root starts a new time range and selection.
  useEffect(() => {
    setMoments([]);
    setGraph(EMPTY_GRAPH);
    setSelectedId(rootId);
  }, [rootId]);

  const expand = useCallback(
    async (nodeId: string, direction: LineageDirection, depth = 1) => {
      setBusy(`Expanding ${direction.toLowerCase()}…`);
      setActionError(null);
      try {
        const result = await client.query({
          query: LineageAroundQuery,
          variables: { nodeId, direction, depth, limit: ROOT_LIMIT, asOf },
          fetchPolicy: "network-only",
        });
        if (result.data) {
          const answer = result.data.lineage;
          setGraph((current) => mergeLineage(current, answer, current.nodes.get(nodeId)?.depth ?? 0));
        }
      } catch (error) {
        setActionError(describeApiError(error).message);
      } finally {
        setBusy(null);
      }
    },
    [client, asOf],
  );

  const highlightImpact = useCallback(
    async (nodeId: string) => {
      setImpactRootId(nodeId);
      // What is loaded shows at once; the full downstream walk completes it.
      await expand(nodeId, "DOWNSTREAM", IMPACT_DEPTH);
    },
    [expand],
  );

  const visibleNodes = useMemo(
    () => [...graph.nodes.values()].filter((node) => !hiddenNodeTypes.has(node.type) || node.id === rootId),
    [graph.nodes, hiddenNodeTypes, rootId],
  );
  const visibleEdges = useMemo(() => {
    const ids = new Set(visibleNodes.map((node) => node.id));
    return [...graph.edges.values()].filter(
      (edge) => !hiddenEdgeKinds.has(edge.kind) && ids.has(edge.source) && ids.has(edge.target),
    );
  }, [graph.edges, visibleNodes, hiddenEdgeKinds]);
  const impactIds = useMemo(() => (impactRootId ? impactSet(impactRootId, visibleEdges) : null), [impactRootId, visibleEdges]);

  const graphStatus = [
    `${visibleNodes.length.toLocaleString()} of ${graph.nodes.size.toLocaleString()} nodes · ${visibleEdges.length.toLocaleString()} edges`,
    graph.truncated ? "more beyond these hops: expand a node" : null,
    collapsedCount > 0
      ? `${collapsedCount.toLocaleString()} folded into clusters (over ${MAX_DRAWN_NODES.toLocaleString()})`
      : null,
    root.loading ? "loading…" : null,
    layoutPending ? "laying out…" : null,
    busy,
  ]
    .filter(Boolean)
    .join(" · ");

  const onAsOfChange = useCallback((value: string | null) => setParams({ asOf: value }), [setParams]);

  const selected = selectedId ? (graph.nodes.get(selectedId) ?? null) : null;

  return (
    <div className="explorer">
      <aside className="sidebar" aria-label="Search and filters">
        <NodeSearch onOpen={(nodeId) => setParams({ node: nodeId })} />
        <LineageFilters
          hiddenNodeTypes={hiddenNodeTypes}
          hiddenEdgeKinds={hiddenEdgeKinds}
          onNodeTypesChange={setHiddenNodeTypes}
          onEdgeKindsChange={setHiddenEdgeKinds}
        />
      </aside>
      <div className="toolbar" role="toolbar" aria-label="Graph controls">
        {rootId ? <TimeSlider moments={moments} asOf={asOf} onChange={onAsOfChange} /> : null}
        <span
          role="status"
          aria-live="polite"
          data-testid="graph-status"
          data-shown-as-of={shownAsOf ?? "now"}
          data-settled={!root.loading && !layoutPending && !busy}
        >
          {rootId ? graphStatus : ""}
        </span>
      </div>
      <section className="canvas" aria-label="Lineage graph">
        {!rootId ? (
          <StatusMessage kind="empty">Search for a deployment, model, dataset, job or feature to see its lineage.</StatusMessage>
        ) : root.error ? (
          <StatusMessage kind="error">{describeApiError(root.error).message}</StatusMessage>
        ) : graph.nodes.size === 0 ? (
          <StatusMessage kind="loading">Loading lineage…</StatusMessage>
        ) : (
          <ReactFlowProvider>
            <LineageGraphView
              nodes={visibleNodes}
              edges={visibleEdges}
              rootId={rootId}
              selectedId={selectedId}
              impactIds={impactIds}
              onSelect={setSelectedId}
              onCollapsed={setCollapsedCount}
              onLayoutPending={setLayoutPending}
            />
          </ReactFlowProvider>
        )}
      </section>
      <aside className="details" aria-label="Selected node">
        {actionError ? <StatusMessage kind="error">{actionError}</StatusMessage> : null}
        <NodeDetails
          node={selected}
          isRoot={selected?.id === rootId}
          impactActive={impactRootId !== null && impactRootId === selected?.id}
          busy={busy !== null}
          onExpand={(direction) => selected && void expand(selected.id, direction)}
          onHighlightImpact={() => selected && void highlightImpact(selected.id)}
          onClearImpact={() => setImpactRootId(null)}
          onOpenAsRoot={() => selected && setParams({ node: selected.id })}
        />
      </aside>
    </div>
  );
}
