import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type {
  LineageEdgeKind,
  LineageGraph,
  LineageGraphEdge,
  LineageNodeKey,
  LineageNodeType,
  LineageStore,
} from "./lineage-store.js";

/**
 * The behaviour every LineageStore must have, run by each implementation's test file against a real
 * database. Each test builds its own graph with fresh ids, so stores need no reset between tests.
 */
export function lineageStoreContract(name: string, openStore: () => LineageStore) {
  const node = (type: LineageNodeType): LineageNodeKey => ({ type, id: randomUUID() });
  const T0 = new Date("2026-01-01T00:00:00Z");
  const edge = (
    upstream: LineageNodeKey,
    downstream: LineageNodeKey,
    kind: LineageEdgeKind,
    extra: Partial<LineageGraphEdge> = {},
  ): LineageGraphEdge => ({
    id: randomUUID(),
    upstream,
    downstream,
    kind,
    role: null,
    properties: {},
    validFrom: T0,
    validTo: null,
    ...extra,
  });
  const ids = (graph: LineageGraph) => graph.nodes.map((n) => `${n.id}@${n.depth}`);
  const at = (key: LineageNodeKey, depth: number) => `${key.id}@${depth}`;

  /** dataset version ➜ run ➜ model version ➜ deployment, with a commit and a feature into the run. */
  async function chain(store: LineageStore) {
    const dv = node("DATASET_VERSION");
    const feature = node("FEATURE");
    const commit = node("CODE_COMMIT");
    const run = node("RUN");
    const mv = node("MODEL_VERSION");
    const deployment = node("DEPLOYMENT");
    const edges = [
      edge(dv, run, "CONSUMED", { role: "TRAIN" }),
      edge(dv, feature, "SOURCE_OF"),
      edge(feature, run, "USED"),
      edge(commit, run, "BUILT_FROM"),
      edge(run, mv, "PRODUCED"),
      edge(mv, deployment, "SERVES", { properties: { percent: 100 } }),
    ];
    await store.recordEdges(edges);
    return { dv, feature, commit, run, mv, deployment, edges };
  }

  describe(`LineageStore contract: ${name}`, () => {
    it("returns an isolated node alone, not as an error", async () => {
      const store = openStore();
      const lonely = node("DATASET_VERSION");
      const graph = await store.traverse({ root: lonely, direction: "BOTH", maxDepth: 5, limit: 100 });
      expect(graph).toEqual({ nodes: [{ ...lonely, depth: 0 }], edges: [], truncated: false });
    });

    it("walks downstream from a dataset version to the deployment, each node at its smallest depth", async () => {
      const store = openStore();
      const g = await chain(store);
      const graph = await store.traverse({ root: g.dv, direction: "DOWNSTREAM", maxDepth: 10, limit: 100 });
      expect(graph.nodes[0]).toEqual({ ...g.dv, depth: 0 });
      expect(ids(graph).sort()).toEqual([at(g.dv, 0), at(g.feature, 1), at(g.run, 1), at(g.mv, 2), at(g.deployment, 3)].sort());
      expect(graph.nodes.find((n) => n.id === g.deployment.id)?.type).toBe("DEPLOYMENT");
      expect(graph.edges.map((e) => e.id).sort()).toEqual(
        g.edges
          .filter((e) => e.upstream.id !== g.commit.id)
          .map((e) => e.id)
          .sort(),
      );
      expect(graph.truncated).toBe(false);
      const serves = graph.edges.find((e) => e.kind === "SERVES");
      expect(serves).toMatchObject({ upstream: g.mv, downstream: g.deployment, properties: { percent: 100 }, validTo: null });
      expect(serves?.validFrom.toISOString()).toBe(T0.toISOString());
      expect(graph.edges.find((e) => e.kind === "CONSUMED")?.role).toBe("TRAIN");
    });

    it("walks upstream from a deployment to data, features and commit", async () => {
      const store = openStore();
      const g = await chain(store);
      const graph = await store.traverse({ root: g.deployment, direction: "UPSTREAM", maxDepth: 10, limit: 100 });
      expect(ids(graph).sort()).toEqual(
        [at(g.deployment, 0), at(g.mv, 1), at(g.run, 2), at(g.dv, 3), at(g.feature, 3), at(g.commit, 3)].sort(),
      );
      expect(graph.edges).toHaveLength(6);
    });

    it("walks both ways from the middle", async () => {
      const store = openStore();
      const g = await chain(store);
      const graph = await store.traverse({ root: g.mv, direction: "BOTH", maxDepth: 1, limit: 100 });
      expect(ids(graph).sort()).toEqual([at(g.mv, 0), at(g.run, 1), at(g.deployment, 1)].sort());
      expect(graph.truncated).toBe(true);
    });

    it("orders nodes root first, then by depth, then by id, and edges by id", async () => {
      const store = openStore();
      const g = await chain(store);
      const graph = await store.traverse({ root: g.dv, direction: "DOWNSTREAM", maxDepth: 10, limit: 100 });
      const sorted = [...graph.nodes].sort((a, b) => a.depth - b.depth || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      expect(graph.nodes).toEqual(sorted);
      expect(graph.edges.map((e) => e.id)).toEqual([...graph.edges.map((e) => e.id)].sort());
    });

    it("stops at the depth limit and says so", async () => {
      const store = openStore();
      const g = await chain(store);
      const shallow = await store.traverse({ root: g.dv, direction: "DOWNSTREAM", maxDepth: 2, limit: 100 });
      expect(ids(shallow).sort()).toEqual([at(g.dv, 0), at(g.feature, 1), at(g.run, 1), at(g.mv, 2)].sort());
      expect(shallow.truncated).toBe(true);
      const exact = await store.traverse({ root: g.dv, direction: "DOWNSTREAM", maxDepth: 3, limit: 100 });
      expect(exact.truncated).toBe(false);
    });

    it("stops at the node limit, keeping the nearest nodes, and says so", async () => {
      const store = openStore();
      const g = await chain(store);
      const limited = await store.traverse({ root: g.dv, direction: "DOWNSTREAM", maxDepth: 10, limit: 3 });
      expect(limited.nodes).toHaveLength(3);
      expect(limited.nodes.map((n) => n.depth)).toEqual([0, 1, 1]);
      expect(limited.truncated).toBe(true);
      for (const e of limited.edges) {
        expect(limited.nodes.some((n) => n.id === e.upstream.id) && limited.nodes.some((n) => n.id === e.downstream.id)).toBe(
          true,
        );
      }
    });

    it("terminates on cycles and lists each node once", async () => {
      const store = openStore();
      const a = node("RUN");
      const b = node("RUN");
      const c = node("RUN");
      await store.recordEdges([edge(a, b, "PARENT_OF"), edge(b, c, "PARENT_OF"), edge(c, a, "PARENT_OF")]);
      const graph = await store.traverse({ root: a, direction: "BOTH", maxDepth: 20, limit: 100 });
      expect(ids(graph).sort()).toEqual([at(a, 0), at(b, 1), at(c, 1)].sort());
      expect(graph.edges).toHaveLength(3);
      expect(graph.truncated).toBe(false);
    });

    it("counts a diamond's far node once, at its shortest distance", async () => {
      const store = openStore();
      const dv = node("DATASET_VERSION");
      const runA = node("RUN");
      const runB = node("RUN");
      const mid = node("DATASET_VERSION");
      const mv = node("MODEL_VERSION");
      await store.recordEdges([
        edge(dv, runA, "CONSUMED"),
        edge(dv, runB, "CONSUMED"),
        edge(runA, mid, "PRODUCED"),
        edge(mid, runB, "CONSUMED"),
        edge(runB, mv, "PRODUCED"),
      ]);
      const graph = await store.traverse({ root: dv, direction: "DOWNSTREAM", maxDepth: 10, limit: 100 });
      expect(ids(graph).sort()).toEqual([at(dv, 0), at(runA, 1), at(runB, 1), at(mid, 2), at(mv, 2)].sort());
      expect(graph.edges).toHaveLength(5);
    });

    it("answers as of a past time: edges valid then, not now", async () => {
      const store = openStore();
      const v1 = node("MODEL_VERSION");
      const v2 = node("MODEL_VERSION");
      const deployment = node("DEPLOYMENT");
      const switched = new Date("2026-03-01T00:00:00Z");
      await store.recordEdges([
        edge(v1, deployment, "SERVES", { validFrom: T0, validTo: switched }),
        edge(v2, deployment, "SERVES", { validFrom: switched }),
      ]);
      const before = await store.traverse({
        root: deployment,
        direction: "UPSTREAM",
        maxDepth: 1,
        limit: 10,
        asOf: new Date("2026-02-01T00:00:00Z"),
      });
      expect(before.nodes.map((n) => n.id)).toEqual([deployment.id, v1.id]);
      const after = await store.traverse({ root: deployment, direction: "UPSTREAM", maxDepth: 1, limit: 10 });
      expect(after.nodes.map((n) => n.id)).toEqual([deployment.id, v2.id]);
      const atSwitch = await store.traverse({ root: deployment, direction: "UPSTREAM", maxDepth: 1, limit: 10, asOf: switched });
      expect(atSwitch.nodes.map((n) => n.id)).toEqual([deployment.id, v2.id]);
      const beforeAll = await store.traverse({
        root: deployment,
        direction: "UPSTREAM",
        maxDepth: 1,
        limit: 10,
        asOf: new Date("2025-01-01T00:00:00Z"),
      });
      expect(beforeAll.nodes.map((n) => n.id)).toEqual([deployment.id]);
    });

    it("follows only the requested edge kinds, and returns only the requested node types", async () => {
      const store = openStore();
      const g = await chain(store);
      const noFeatures = await store.traverse({
        root: g.dv,
        direction: "DOWNSTREAM",
        maxDepth: 10,
        limit: 100,
        edgeKinds: ["CONSUMED", "PRODUCED", "SERVES"],
      });
      expect(noFeatures.nodes.some((n) => n.id === g.feature.id)).toBe(false);
      expect(noFeatures.nodes.some((n) => n.id === g.deployment.id)).toBe(true);
      const deploymentsOnly = await store.traverse({
        root: g.dv,
        direction: "DOWNSTREAM",
        maxDepth: 10,
        limit: 100,
        nodeTypes: ["DEPLOYMENT"],
      });
      expect(ids(deploymentsOnly)).toEqual([at(g.dv, 0), at(g.deployment, 3)]);
      expect(deploymentsOnly.edges).toEqual([]);
    });

    it("records edges idempotently and closes an edge when it is recorded again with validTo", async () => {
      const store = openStore();
      const run = node("RUN");
      const mv = node("MODEL_VERSION");
      const produced = edge(run, mv, "PRODUCED");
      await store.recordEdges([produced]);
      await store.recordEdges([produced]);
      const graph = await store.traverse({ root: run, direction: "DOWNSTREAM", maxDepth: 1, limit: 10 });
      expect(graph.edges.map((e) => e.id)).toEqual([produced.id]);
      await store.recordEdges([{ ...produced, validTo: new Date("2026-02-01T00:00:00Z") }]);
      const closed = await store.traverse({ root: run, direction: "DOWNSTREAM", maxDepth: 1, limit: 10 });
      expect(closed.nodes.map((n) => n.id)).toEqual([run.id]);
      // Recording the open edge again (a replayed message) does not reopen it.
      await store.recordEdges([produced]);
      const stillClosed = await store.traverse({ root: run, direction: "DOWNSTREAM", maxDepth: 1, limit: 10 });
      expect(stillClosed.nodes.map((n) => n.id)).toEqual([run.id]);
    });

    it("refuses out-of-range bounds before querying", async () => {
      const store = openStore();
      const root = node("RUN");
      await expect(store.traverse({ root, direction: "BOTH", maxDepth: 0, limit: 10 })).rejects.toThrow(RangeError);
      await expect(store.traverse({ root, direction: "BOTH", maxDepth: 21, limit: 10 })).rejects.toThrow(/maxDepth/);
      await expect(store.traverse({ root, direction: "BOTH", maxDepth: 3, limit: 0 })).rejects.toThrow(/limit/);
    });
  });
}
