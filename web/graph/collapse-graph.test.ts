import { describe, expect, it } from "vitest";
import { CLUSTER_KIND, collapseGraph } from "./collapse-graph";
import type { GraphEdge, GraphNode } from "./graph-model";

type Kind = "A" | "B";
const node = (id: string, kind: Kind, depth: number): GraphNode<Kind, { depth: number }> => ({ id, kind, data: { depth } });
const edge = (source: string, target: string): GraphEdge<"E"> => ({ id: `${source}-${target}`, source, target, kind: "E" });
const options = {
  maxNodes: 3,
  rank: (n: GraphNode<Kind, { depth: number }>) => n.data.depth,
  groupKey: (n: GraphNode<Kind, { depth: number }>) => `${n.kind}@${n.data.depth}`,
};

describe("collapseGraph", () => {
  it("returns small graphs unchanged", () => {
    const nodes = [node("r", "A", 0), node("x", "B", 1)];
    const result = collapseGraph(nodes, [edge("r", "x")], options);
    expect(result.hiddenCount).toBe(0);
    expect(result.nodes.map((n) => n.id)).toEqual(["r", "x"]);
    expect(result.edges).toHaveLength(1);
  });

  it("keeps the nearest nodes and folds the rest into one cluster per group, rerouting edges once", () => {
    const nodes = [
      node("r", "A", 0),
      node("a1", "B", 1),
      node("a2", "B", 1),
      node("b1", "B", 2),
      node("b2", "B", 2),
      node("c1", "A", 2),
    ];
    const edges = [edge("r", "a1"), edge("r", "a2"), edge("a1", "b1"), edge("a1", "b2"), edge("a2", "c1"), edge("b1", "b2")];
    const result = collapseGraph(nodes, edges, options);
    expect(result.hiddenCount).toBe(3);
    const clusters = result.nodes.filter((n) => n.kind === CLUSTER_KIND);
    expect(clusters.map((n) => [n.id, n.kind === CLUSTER_KIND ? n.data.count : 0])).toEqual([
      ["cluster:B@2", 2],
      ["cluster:A@2", 1],
    ]);
    expect(result.edges.map((e) => e.id).sort()).toEqual(["a1->cluster:B@2", "a2->cluster:A@2", "r-a1", "r-a2"].sort());
  });
});
