import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type {
  LineageEdgeKind,
  LineageGraph,
  LineageGraphEdge,
  LineageNodeKey,
  LineageNodeType,
  LineagePath,
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
  /** A fresh UUID that sorts after every UUID starting with a smaller hex digit than `first`. */
  const uuidStartingWith = (first: string) => `${first}${randomUUID().slice(1)}`;
  /** The path as its node ids (with depths) and edge ids, for compact comparisons. */
  const route = (path: LineagePath | null) =>
    path && { nodes: path.nodes.map((n) => `${n.id}@${n.depth}`), edges: path.edges.map((e) => e.id) };
  const routeOf = (nodes: LineageNodeKey[], edges: LineageGraphEdge[]) => ({
    nodes: nodes.map((n, depth) => at(n, depth)),
    edges: edges.map((e) => e.id),
  });

  /** dataset version ➜ run ➜ model version ➜ deployment, with a commit and a feature into the run. */
  async function chain(store: LineageStore) {
    const dv = node("DATASET_VERSION");
    const feature = node("FEATURE");
    const commit = node("CODE_COMMIT");
    const run = node("RUN");
    const mv = node("MODEL_VERSION");
    const deployment = node("DEPLOYMENT");
    const consumed = edge(dv, run, "CONSUMED", { role: "TRAIN" });
    const sourceOf = edge(dv, feature, "SOURCE_OF");
    const used = edge(feature, run, "USED");
    const builtFrom = edge(commit, run, "BUILT_FROM");
    const produced = edge(run, mv, "PRODUCED");
    const serves = edge(mv, deployment, "SERVES", { properties: { percent: 100 } });
    const edges = [consumed, sourceOf, used, builtFrom, produced, serves];
    await store.recordEdges(edges);
    return { dv, feature, commit, run, mv, deployment, edges, consumed, sourceOf, used, produced, serves };
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

    it("cuts a capped walk exactly where a whole walk would: smallest depth, then id, and says so", async () => {
      // A layered graph with skip edges (nodes reached again deeper), back edges (cycles) and mixed
      // types, checked against a reference breadth-first walk over the whole graph. Stores may stop
      // reading at the level that overflows the cap; the answer must not change.
      const store = openStore();
      const random = seededRandom(20261125);
      const types: LineageNodeType[] = ["RUN", "MODEL_VERSION", "DATASET_VERSION"];
      const levels = [1, 12, 40, 90, 160].map((size, level) =>
        Array.from({ length: size }, () => (level === 0 ? node("DATASET_VERSION") : node(types[random(types.length)]!))),
      );
      const edges: LineageGraphEdge[] = [];
      for (let level = 1; level < levels.length; level++) {
        for (const child of levels[level]!) {
          const parents = 1 + random(3);
          for (let p = 0; p < parents; p++) {
            // One edge in five skips a level, so a node is reached again deeper.
            const from = level >= 2 && random(5) === 0 ? levels[level - 2]! : levels[level - 1]!;
            const parent = from[random(from.length)]!;
            if (!edges.some((e) => e.upstream === parent && e.downstream === child)) edges.push(edge(parent, child, "CONSUMED"));
          }
          if (random(20) === 0) edges.push(edge(child, levels[1]![random(levels[1]!.length)]!, "PARENT_OF"));
        }
      }
      await store.recordEdges(edges);
      const roots = { DOWNSTREAM: levels[0]![0]!, UPSTREAM: levels[4]![7]!, BOTH: levels[2]![3]! } as const;
      for (const direction of ["DOWNSTREAM", "UPSTREAM", "BOTH"] as const) {
        for (const limit of [4, 30, 120, 1000]) {
          for (const maxDepth of [2, 3, 10]) {
            for (const nodeTypes of [undefined, ["RUN", "MODEL_VERSION"] as LineageNodeType[]]) {
              const options = { root: roots[direction], direction, maxDepth, limit, nodeTypes };
              const expected = referenceTraverse(edges, options);
              const graph = await store.traverse(options);
              const label = `${direction} limit ${limit} depth ${maxDepth} types ${nodeTypes ?? "all"}`;
              expect({ label, nodes: ids(graph), truncated: graph.truncated }).toEqual({
                label,
                nodes: expected.nodes,
                truncated: expected.truncated,
              });
              const kept = new Set(graph.nodes.map((n) => n.id));
              const between = edges.filter((e) => kept.has(e.upstream.id) && kept.has(e.downstream.id));
              expect(graph.edges.map((e) => e.id)).toEqual(between.map((e) => e.id).sort());
            }
          }
        }
      }
    });

    it("refuses out-of-range bounds before querying", async () => {
      const store = openStore();
      const root = node("RUN");
      await expect(store.traverse({ root, direction: "BOTH", maxDepth: 0, limit: 10 })).rejects.toThrow(RangeError);
      await expect(store.traverse({ root, direction: "BOTH", maxDepth: 21, limit: 10 })).rejects.toThrow(/maxDepth/);
      await expect(store.traverse({ root, direction: "BOTH", maxDepth: 3, limit: 0 })).rejects.toThrow(/limit/);
    });

    describe("shortestPath", () => {
      it("finds the shortest downstream path, nodes at their hop index and full edges in path order", async () => {
        const store = openStore();
        const g = await chain(store);
        const path = await store.shortestPath({ from: g.dv, to: g.deployment, maxDepth: 10 });
        // dv ➜ run directly (1 hop), not through the feature (2 hops).
        expect(path?.nodes).toEqual([
          { ...g.dv, depth: 0 },
          { ...g.run, depth: 1 },
          { ...g.mv, depth: 2 },
          { ...g.deployment, depth: 3 },
        ]);
        expect(path?.edges.map((e) => e.id)).toEqual([g.consumed.id, g.produced.id, g.serves.id]);
        expect(path?.edges[0]).toMatchObject({
          upstream: g.dv,
          downstream: g.run,
          kind: "CONSUMED",
          role: "TRAIN",
          validTo: null,
        });
        expect(path?.edges[2]).toMatchObject({ kind: "SERVES", properties: { percent: 100 } });
        expect(path?.edges[2]?.validFrom.toISOString()).toBe(T0.toISOString());
      });

      it("follows edges only upstream ➜ downstream: the wrong direction has no path", async () => {
        const store = openStore();
        const g = await chain(store);
        expect(await store.shortestPath({ from: g.deployment, to: g.dv, maxDepth: 10 })).toBeNull();
        expect(await store.shortestPath({ from: g.commit, to: g.feature, maxDepth: 10 })).toBeNull();
        // A node that shares the target's id but not its type is another node.
        expect(await store.shortestPath({ from: g.dv, to: { type: "RUN", id: g.mv.id }, maxDepth: 10 })).toBeNull();
      });

      it("returns a one-node path from a node to itself, with or without edges", async () => {
        const store = openStore();
        const g = await chain(store);
        expect(await store.shortestPath({ from: g.run, to: g.run, maxDepth: 1 })).toEqual({
          nodes: [{ ...g.run, depth: 0 }],
          edges: [],
        });
        const lonely = node("FEATURE");
        expect(await store.shortestPath({ from: lonely, to: lonely, maxDepth: 3 })).toEqual({
          nodes: [{ ...lonely, depth: 0 }],
          edges: [],
        });
      });

      it("uses only edges valid as of the instant asked", async () => {
        const store = openStore();
        const run = node("RUN");
        const dv = node("DATASET_VERSION");
        const mv = node("MODEL_VERSION");
        const closedAt = new Date("2026-03-01T00:00:00Z");
        const opensAt = new Date("2026-02-01T00:00:00Z");
        const direct = edge(run, mv, "PRODUCED", { validTo: closedAt });
        const viaData = [edge(run, dv, "PRODUCED", { validFrom: opensAt }), edge(dv, mv, "SOURCE_OF", { validFrom: opensAt })];
        await store.recordEdges([direct, ...viaData]);
        const query = (asOf: Date) => store.shortestPath({ from: run, to: mv, maxDepth: 5, asOf });
        expect(route(await query(new Date("2026-01-15T00:00:00Z")))).toEqual(routeOf([run, mv], [direct]));
        // Both valid: the shorter wins.
        expect(route(await query(new Date("2026-02-15T00:00:00Z")))).toEqual(routeOf([run, mv], [direct]));
        // validTo is exclusive: at and after it the longer path is the only one.
        expect(route(await query(closedAt))).toEqual(routeOf([run, dv, mv], viaData));
        expect(route(await store.shortestPath({ from: run, to: mv, maxDepth: 5 }))).toEqual(routeOf([run, dv, mv], viaData));
        expect(await query(new Date("2025-06-01T00:00:00Z"))).toBeNull();
        // Once the direct edge has closed, a depth that only fits it finds nothing.
        expect(await store.shortestPath({ from: run, to: mv, maxDepth: 1 })).toBeNull();
      });

      it("follows only the requested edge kinds", async () => {
        const store = openStore();
        const g = await chain(store);
        const viaFeature = await store.shortestPath({
          from: g.dv,
          to: g.deployment,
          maxDepth: 10,
          edgeKinds: ["SOURCE_OF", "USED", "PRODUCED", "SERVES"],
        });
        expect(route(viaFeature)).toEqual(
          routeOf([g.dv, g.feature, g.run, g.mv, g.deployment], [g.sourceOf, g.used, g.produced, g.serves]),
        );
        expect(
          await store.shortestPath({ from: g.dv, to: g.deployment, maxDepth: 10, edgeKinds: ["CONSUMED", "PRODUCED"] }),
        ).toBeNull();
      });

      it("returns null when the path is longer than maxDepth", async () => {
        const store = openStore();
        const g = await chain(store);
        expect(await store.shortestPath({ from: g.dv, to: g.deployment, maxDepth: 2 })).toBeNull();
        expect((await store.shortestPath({ from: g.dv, to: g.deployment, maxDepth: 3 }))?.nodes).toHaveLength(4);
      });

      it("terminates on cycles and finds the way out of one", async () => {
        const store = openStore();
        const [a, b, c, d] = [node("RUN"), node("RUN"), node("RUN"), node("RUN")];
        const [ab, bc, ca, cd] = [
          edge(a, b, "PARENT_OF"),
          edge(b, c, "PARENT_OF"),
          edge(c, a, "PARENT_OF"),
          edge(c, d, "PARENT_OF"),
        ];
        await store.recordEdges([ab, bc, ca, cd]);
        expect(route(await store.shortestPath({ from: a, to: d, maxDepth: 20 }))).toEqual(routeOf([a, b, c, d], [ab, bc, cd]));
        expect(route(await store.shortestPath({ from: b, to: a, maxDepth: 20 }))).toEqual(routeOf([b, c, a], [bc, ca]));
        expect(await store.shortestPath({ from: a, to: node("RUN"), maxDepth: 20 })).toBeNull();
        expect(await store.shortestPath({ from: d, to: a, maxDepth: 20 })).toBeNull();
      });

      it("breaks ties by the smallest edge-id sequence read from `from`, not by node ids or the last edge", async () => {
        const store = openStore();
        // top ➜ left ➜ bottom and top ➜ right ➜ bottom, both 2 hops. Left's first edge is smaller but its
        // last edges are larger than right's, and right's node id is smaller than left's: only the
        // documented rule picks left, and of left's two parallel edges into bottom, the smaller id.
        const top = node("DATASET_VERSION");
        const left: LineageNodeKey = { type: "RUN", id: uuidStartingWith("9") };
        const right: LineageNodeKey = { type: "RUN", id: uuidStartingWith("1") };
        const bottom = node("DATASET_VERSION");
        const topLeft = edge(top, left, "CONSUMED", { id: uuidStartingWith("3") });
        const topRight = edge(top, right, "CONSUMED", { id: uuidStartingWith("4") });
        const leftBottomLarger = edge(left, bottom, "PRODUCED", { id: uuidStartingWith("f") });
        const leftBottomSmaller = edge(left, bottom, "PARENT_OF", { id: uuidStartingWith("e") });
        const rightBottom = edge(right, bottom, "PRODUCED", { id: uuidStartingWith("0") });
        await store.recordEdges([rightBottom, leftBottomLarger, topRight, leftBottomSmaller, topLeft]);
        const expected = routeOf([top, left, bottom], [topLeft, leftBottomSmaller]);
        expect(route(await store.shortestPath({ from: top, to: bottom, maxDepth: 5 }))).toEqual(expected);
        // Without the smaller parallel edge's kind its twin is used; with no CONSUMED edge there is no path.
        expect(route(await store.shortestPath({ from: top, to: bottom, maxDepth: 5, edgeKinds: ["PRODUCED"] }))).toBeNull();
        expect(
          route(await store.shortestPath({ from: top, to: bottom, maxDepth: 5, edgeKinds: ["CONSUMED", "PRODUCED"] })),
        ).toEqual(routeOf([top, left, bottom], [topLeft, leftBottomLarger]));
        // Once the winning first edge has closed, the other branch is the only shortest path.
        await store.recordEdges([{ ...topLeft, validTo: new Date("2026-02-01T00:00:00Z") }]);
        expect(route(await store.shortestPath({ from: top, to: bottom, maxDepth: 5 }))).toEqual(
          routeOf([top, right, bottom], [topRight, rightBottom]),
        );
      });

      it("stays linear on a dense layered graph and picks the smallest edge-id sequence there too", async () => {
        const store = openStore();
        // source ➜ 8 fully connected layers of 5 runs ➜ sink: 5^8 shortest paths of 9 hops.
        const source = node("DATASET_VERSION");
        const sink = node("MODEL_VERSION");
        const layers = Array.from({ length: 8 }, () => Array.from({ length: 5 }, () => node("RUN")));
        const tiers = [[source], ...layers, [sink]];
        const edges: LineageGraphEdge[] = [];
        for (let i = 0; i + 1 < tiers.length; i++) {
          for (const up of tiers[i] ?? []) for (const down of tiers[i + 1] ?? []) edges.push(edge(up, down, "PARENT_OF"));
        }
        await store.recordEdges(edges);
        // Every node here lies on a shortest path to the sink, so the smallest sequence is the greedy
        // walk that always takes the smallest outgoing edge id.
        const expectedNodes: LineageNodeKey[] = [source];
        const expectedEdges: LineageGraphEdge[] = [];
        for (let here = source; here.id !== sink.id; ) {
          const next = edges
            .filter((e) => e.upstream.id === here.id)
            .sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))[0]!;
          expectedEdges.push(next);
          expectedNodes.push(next.downstream);
          here = next.downstream;
        }
        const path = await store.shortestPath({ from: source, to: sink, maxDepth: 20 });
        expect(route(path)).toEqual(routeOf(expectedNodes, expectedEdges));
        expect(path?.nodes).toHaveLength(10);
      });

      it("refuses an out-of-range maxDepth before querying, even from a node to itself", async () => {
        const store = openStore();
        const from = node("RUN");
        const to = node("RUN");
        await expect(store.shortestPath({ from, to, maxDepth: 0 })).rejects.toThrow(RangeError);
        await expect(store.shortestPath({ from, to, maxDepth: 21 })).rejects.toThrow(/maxDepth/);
        await expect(store.shortestPath({ from, to, maxDepth: 1.5 })).rejects.toThrow(RangeError);
        await expect(store.shortestPath({ from, to: from, maxDepth: 0 })).rejects.toThrow(RangeError);
        await expect(store.shortestPath({ from, to, maxDepth: 3, asOf: new Date(Number.NaN) })).rejects.toThrow(/asOf/);
      });
    });
  });
}

/** A small deterministic generator: integers in [0, bound). */
function seededRandom(seed: number) {
  let state = seed >>> 0;
  return (bound: number) => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state % bound;
  };
}

/**
 * What a traversal must answer, from the whole graph: each node at its smallest depth over the
 * requested directions, the wanted ones by depth then id up to the limit, truncated when the limit
 * or the depth left a reachable node out (a node at maxDepth + 1 of any type counts).
 */
function referenceTraverse(
  edges: readonly LineageGraphEdge[],
  options: {
    root: LineageNodeKey;
    direction: "UPSTREAM" | "DOWNSTREAM" | "BOTH";
    maxDepth: number;
    limit: number;
    nodeTypes?: LineageNodeType[] | undefined;
  },
) {
  const depthOf = new Map<string, { node: LineageNodeKey; depth: number }>();
  const walk = (downstream: boolean) => {
    const seen = new Set([options.root.id]);
    let frontier = [options.root];
    for (let depth = 1; depth <= options.maxDepth + 1 && frontier.length > 0; depth++) {
      const next: LineageNodeKey[] = [];
      for (const from of frontier) {
        for (const e of edges) {
          const [near, far] = downstream ? [e.upstream, e.downstream] : [e.downstream, e.upstream];
          if (near.id !== from.id || seen.has(far.id)) continue;
          seen.add(far.id);
          next.push(far);
          const known = depthOf.get(far.id);
          if (!known || depth < known.depth) depthOf.set(far.id, { node: far, depth });
        }
      }
      frontier = next;
    }
  };
  if (options.direction !== "UPSTREAM") walk(true);
  if (options.direction !== "DOWNSTREAM") walk(false);
  depthOf.delete(options.root.id);
  const reached = [...depthOf.values()];
  const wanted = reached
    .filter(({ node, depth }) => depth <= options.maxDepth && (!options.nodeTypes || options.nodeTypes.includes(node.type)))
    .sort((a, b) => a.depth - b.depth || (a.node.id < b.node.id ? -1 : a.node.id > b.node.id ? 1 : 0));
  const kept = wanted.slice(0, options.limit - 1);
  return {
    nodes: [`${options.root.id}@0`, ...kept.map(({ node, depth }) => `${node.id}@${depth}`)],
    truncated: wanted.length > kept.length || reached.some(({ depth }) => depth > options.maxDepth),
  };
}
