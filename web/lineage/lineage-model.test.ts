import { describe, expect, it } from "vitest";
import type { LineageNodeFieldsFragment } from "../gql/graphql";
import {
  changeMoments,
  EMPTY_GRAPH,
  impactSet,
  type LineageAnswer,
  mergeLineage,
  mergeMoments,
  toNodeView,
} from "./lineage-model";

const deployment = (id: string, depth: number): LineageNodeFieldsFragment => ({
  id,
  type: "DEPLOYMENT",
  depth,
  node: { __typename: "Deployment", name: `dep-${id}`, environment: "production", namespace: { name: "ns" } },
});
const run = (id: string, depth: number): LineageNodeFieldsFragment => ({
  id,
  type: "RUN",
  depth,
  node: {
    __typename: "Run",
    runStatus: "COMPLETED",
    externalId: null,
    createdAt: "2026-01-02T03:04:05.000Z",
    job: { name: "train" },
  },
});
const link = (upstreamId: string, downstreamId: string, validFrom = "2026-01-01T00:00:00.000Z") => ({
  upstreamId,
  downstreamId,
  kind: "PRODUCED" as const,
  validFrom,
});

describe("lineage model", () => {
  it("names nodes the way people say them, and keeps unreadable nodes", () => {
    expect(toNodeView(run("r", 1))).toMatchObject({ title: "train run", subtitle: "completed · 2026-01-02" });
    expect(toNodeView({ id: "x", type: "FEATURE", depth: 2, node: null })).toMatchObject({
      title: "feature",
      subtitle: "not readable",
    });
  });

  it("merges expansions without moving nodes already shown and without duplicating edges", () => {
    const first: LineageAnswer = { truncated: false, nodes: [deployment("d", 0), run("r", 1)], edges: [link("r", "d")] };
    const expansion: LineageAnswer = {
      truncated: true,
      nodes: [run("r", 0), run("p", 1)],
      edges: [link("r", "d"), link("p", "r")],
    };
    const merged = mergeLineage(mergeLineage(EMPTY_GRAPH, first), expansion, 1);
    expect([...merged.nodes.values()].map((n) => [n.id, n.depth])).toEqual([
      ["d", 0],
      ["r", 1],
      ["p", 2],
    ]);
    expect(merged.edges.size).toBe(2);
    expect(merged.truncated).toBe(true);
  });

  it("computes the impact set downstream only, and the moments the graph changed", () => {
    const graph = mergeLineage(EMPTY_GRAPH, {
      truncated: false,
      nodes: [run("a", 0), run("b", 1), run("c", 2), run("up", 1)],
      edges: [link("a", "b", "2026-03-01T00:00:00.000Z"), link("b", "c"), link("up", "a", "2025-12-31T00:00:00.000Z")],
    });
    expect([...impactSet("a", graph.edges.values())].sort()).toEqual(["a", "b", "c"]);
    const moments = changeMoments(graph.edges.values());
    expect(moments.map((ms) => new Date(ms).toISOString())).toEqual([
      "2025-12-31T00:00:00.000Z",
      "2026-01-01T00:00:00.000Z",
      "2026-03-01T00:00:00.000Z",
    ]);
    expect(mergeMoments(moments, [0, Date.parse("2026-01-01T00:00:00.000Z")])).toEqual([0, ...moments]);
  });
});
