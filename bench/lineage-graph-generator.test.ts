import { describe, expect, it } from "vitest";
import type { LineageEdgeKind, LineageGraphEdge, LineageNodeType } from "../graph/lineage-store.js";
import { parseTrafficSplit } from "../server/deployment/traffic-split.js";
import { parseMetrics } from "../server/model/model-json.js";
import { parseHyperparameters, parseLatestMetrics } from "../server/run/run-record.js";
import { type EntityRow, type EntityTable, LineageGraphGenerator } from "./lineage-graph-generator.js";

const NODES = 10_000;

function collect(generator: LineageGraphGenerator) {
  const edges: LineageGraphEdge[] = [];
  for (const batch of generator.edgeBatches(4_000)) edges.push(...batch);
  const groups: { table: EntityTable; rows: EntityRow[] }[][] = [...generator.entityBatches(4_000)];
  return { edges, groups };
}

const generator = new LineageGraphGenerator({ nodes: NODES, seed: 7 });
const { edges, groups } = collect(generator);
const rowsOf = (table: EntityTable) => groups.flatMap((group) => group.filter((g) => g.table === table).flatMap((g) => g.rows));

/** The lineage node type each entity table holds. */
const NODE_TABLE: Partial<Record<LineageNodeType, EntityTable>> = {
  DATASET_VERSION: "dataset_version",
  FEATURE: "feature",
  CODE_COMMIT: "code_commit",
  RUN: "run",
  MODEL_VERSION: "model_version",
  DEPLOYMENT: "deployment",
};

/** The edge vocabulary: kind ➜ its legal "upstream➜downstream" pairs. */
const VOCABULARY: Partial<Record<LineageEdgeKind, string[]>> = {
  CONSUMED: ["DATASET_VERSION➜RUN"],
  PRODUCED: ["RUN➜DATASET_VERSION", "RUN➜MODEL_VERSION"],
  SOURCE_OF: ["DATASET_VERSION➜FEATURE"],
  USED: ["FEATURE➜RUN"],
  BUILT_FROM: ["CODE_COMMIT➜RUN"],
  SERVES: ["MODEL_VERSION➜DEPLOYMENT"],
  PARENT_OF: ["RUN➜RUN"],
};

describe("LineageGraphGenerator", () => {
  it("is deterministic for a seed, and a different seed gives different ids", () => {
    const again = collect(new LineageGraphGenerator({ nodes: NODES, seed: 7 }));
    expect(again.edges).toEqual(edges);
    expect(again.groups).toEqual(groups);
    const other: LineageGraphEdge[] = new LineageGraphGenerator({ nodes: NODES, seed: 8 }).edgeBatches(10).next().value ?? [];
    expect(other.map((e) => e.id)).not.toEqual(edges.slice(0, 10).map((e) => e.id));
  });

  it("hits the node budget with about 5 edges per node, and counts what it yields", () => {
    const stats = generator.stats();
    expect(stats.totalNodes).toBeGreaterThan(NODES * 0.97);
    expect(stats.totalNodes).toBeLessThan(NODES * 1.03);
    expect(stats.totalEdges).toBe(edges.length);
    expect(stats.totalEdges / stats.totalNodes).toBeGreaterThan(4.5);
    expect(stats.totalEdges / stats.totalNodes).toBeLessThan(5.5);
    for (const [type, table] of Object.entries(NODE_TABLE)) {
      expect(rowsOf(table).length, type).toBe(stats.nodes[type as LineageNodeType]);
    }
    expect(new Set(edges.map((e) => e.id)).size).toBe(edges.length);
  });

  it("uses only the edge vocabulary, between nodes that exist as entity rows", () => {
    const ids = new Map(Object.entries(NODE_TABLE).map(([type, table]) => [type, new Set(rowsOf(table).map((r) => r.id))]));
    // Collected, not asserted per edge: 50,000 expect() calls would dominate the test's time.
    const problems = edges.flatMap((edge) => {
      const found: string[] = [];
      if (!VOCABULARY[edge.kind]?.includes(`${edge.upstream.type}➜${edge.downstream.type}`)) found.push("vocabulary");
      if (edge.role !== null && !(edge.kind === "CONSUMED" && ["TRAIN", "VALIDATION", "TEST"].includes(edge.role)))
        found.push("role");
      if ((edge.kind === "SERVES") !== (typeof edge.properties.percent === "number")) found.push("percent");
      if (!ids.get(edge.upstream.type)?.has(edge.upstream.id)) found.push("upstream row");
      if (!ids.get(edge.downstream.type)?.has(edge.downstream.id)) found.push("downstream row");
      if (edge.validTo !== null && edge.validTo <= edge.validFrom) found.push("validity");
      if (edge.validFrom.getTime() >= Date.now()) found.push("future");
      return found.map((problem) => `${problem}: ${JSON.stringify(edge)}`);
    });
    expect(problems.slice(0, 5)).toEqual([]);
    const pairs = new Set(edges.map((e) => `${e.kind} ${e.upstream.type}➜${e.downstream.type}`));
    expect([...pairs].sort()).toEqual(
      Object.entries(VOCABULARY)
        .flatMap(([kind, legal]) => legal.map((pair) => `${kind} ${pair}`))
        .sort(),
    );
  });

  it("never repeats a current edge (the lineage_edge_current_key unique index)", () => {
    const current = edges.filter((e) => e.validTo === null).map((e) => `${e.upstream.id}|${e.downstream.id}|${e.kind}|${e.role}`);
    expect(new Set(current).size).toBe(current.length);
  });

  it("lists entity rows so that every foreign key points at a row inserted before", () => {
    const seen = new Set<unknown>();
    const references: Record<string, EntityTable> = {
      namespace_id: "namespace",
      dataset_id: "dataset",
      feature_set_id: "feature_set",
      job_id: "job",
      commit_id: "code_commit",
      model_id: "model",
      source_run_id: "run",
      deployment_id: "deployment",
    };
    const expectSeen = (row: EntityRow, column: string) => {
      if (row[column] !== undefined && row[column] !== null) expect(seen.has(row[column]), column).toBe(true);
    };
    let checked = 0;
    for (const group of groups) {
      for (const { rows } of group) {
        for (const row of rows) for (const column of Object.keys(references)) expectSeen(row, column);
        // Rows of one statement may reference each other (parent runs and their children).
        for (const row of rows) seen.add(row.id);
        for (const row of rows) expectSeen(row, "parent_run_id");
        checked += rows.length;
      }
    }
    expect(checked).toBe(Object.values(generator.stats().entityRows).reduce((a, b) => a + b, 0));
  });

  it("fills JSON columns in the shapes the app reads them with", () => {
    const json = (row: EntityRow, column: string) => JSON.parse(String(row[column]));
    for (const run of rowsOf("run")) {
      parseHyperparameters(json(run, "hyperparameters"));
      parseLatestMetrics(json(run, "latest_metrics"));
    }
    for (const version of rowsOf("model_version")) parseMetrics(json(version, "metrics"));
    for (const revision of rowsOf("deployment_revision")) {
      expect(parseTrafficSplit(json(revision, "traffic_split")).reduce((sum, share) => sum + share.percent, 0)).toBe(100);
    }
  });

  it("is a DAG with the platform's shape: popular raw data, reused feature sets, sweeps, canaries", () => {
    // Kahn's algorithm over the edges: every node gets removed when there is no cycle.
    const indegree = new Map<string, number>();
    const out = new Map<string, string[]>();
    for (const e of edges) {
      indegree.set(e.downstream.id, (indegree.get(e.downstream.id) ?? 0) + 1);
      indegree.set(e.upstream.id, indegree.get(e.upstream.id) ?? 0);
      out.set(e.upstream.id, [...(out.get(e.upstream.id) ?? []), e.downstream.id]);
    }
    const ready = [...indegree].filter(([, n]) => n === 0).map(([id]) => id);
    let removed = 0;
    while (ready.length > 0) {
      const id = ready.pop()!;
      removed++;
      for (const next of out.get(id) ?? []) {
        indegree.set(next, indegree.get(next)! - 1);
        if (indegree.get(next) === 0) ready.push(next);
      }
    }
    expect(removed).toBe(indegree.size);

    const { popularRawDatasetVersions, deployments } = generator.targets(NODES);
    const consumers = popularRawDatasetVersions.map((p) => p.consumers);
    expect(consumers).toEqual([...consumers].sort((a, b) => b - a));
    const direct = edges.filter((e) => e.kind === "CONSUMED" && e.upstream.id === popularRawDatasetVersions[0]!.id).length;
    expect(direct).toBe(consumers[0]);
    // Wide fan-in, skewed: the most read raw version feeds far more runs than the median one.
    expect(consumers[0]).toBeGreaterThan(10 * consumers[Math.floor(consumers.length / 2)]!);

    const runsPerFeatureSet = new Map<unknown, Set<string>>();
    const setOf = new Map(rowsOf("feature").map((f) => [f.id, f.feature_set_id]));
    for (const e of edges.filter((e) => e.kind === "USED")) {
      const set = setOf.get(e.upstream.id);
      runsPerFeatureSet.set(set, (runsPerFeatureSet.get(set) ?? new Set()).add(e.downstream.id));
    }
    expect(Math.max(...[...runsPerFeatureSet.values()].map((runs) => runs.size))).toBeGreaterThan(500);

    const children = rowsOf("run").filter((r) => r.parent_run_id !== null);
    expect(children.length).toBeGreaterThan(NODES * 0.4);
    expect(edges.filter((e) => e.kind === "PARENT_OF").length).toBe(children.length);

    expect(deployments).toHaveLength(generator.stats().nodes.DEPLOYMENT);
    let splits = 0;
    for (const deployment of deployments) {
      const serving = edges.filter((e) => e.kind === "SERVES" && e.downstream.id === deployment && e.validTo === null);
      expect(serving.reduce((sum, e) => sum + Number(e.properties.percent), 0)).toBe(100);
      if (serving.length > 1) splits++;
    }
    expect(splits).toBeGreaterThan(0);
    expect(generator.stats().closedEdges).toBeGreaterThan(0);
  });
});
