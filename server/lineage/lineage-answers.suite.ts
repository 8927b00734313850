import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PedigreeConfig } from "../config.js";
import { seedDemo } from "../demo/demo-seed.js";
import { type TestApp, startTestApp } from "../testing/test-app.js";

const IMPACT = `query($id: ID!, $asOf: DateTime, $depth: Int, $limit: Int) {
  impact(nodeId: $id, asOf: $asOf, depth: $depth, limit: $limit) {
    root { id type }
    runs { id depth }
    modelVersions { id node { ... on ModelVersion { version } } }
    deployments { servingAt trafficPercent deployment { name } shares { percent validFrom validTo modelVersion { version } } }
    truncated
    source { store consistent fallback reason }
  }
}`;

const PROVENANCE = `query($deploymentId: ID, $modelVersionId: ID, $asOf: DateTime) {
  provenance(deploymentId: $deploymentId, modelVersionId: $modelVersionId, asOf: $asOf) {
    asOf
    deployment { name }
    truncated
    source { store fallback }
    modelVersions {
      trafficPercent
      modelVersion { version }
      runs { depth run { id hyperparameters latestMetrics job { name } } }
      datasetVersions { depth role readBy { id } datasetVersion { version dataset { name } } }
      features { name }
      commits { sha }
      graph { nodes { id } edges { kind } truncated }
    }
  }
}`;

const PATH = `query($from: ID!, $to: ID!, $maxDepth: Int, $kinds: [LineageEdgeKind!]) {
  lineagePath(from: $from, to: $to, maxDepth: $maxDepth, edgeKinds: $kinds) {
    direction
    nodes { id type depth }
    edges { upstreamId downstreamId kind }
    source { store }
  }
}`;

const idOf = (kind: string, key: string) => Buffer.from(`${kind}:${key}`).toString("base64url");
const UNKNOWN = "00000000-0000-4000-8000-000000000001";

export interface LineageAnswersSetup {
  /** The store expected to answer every query. */
  store: "postgres" | "neo4j";
  config?: Partial<PedigreeConfig>;
  database?: "postgres" | "pglite";
}

/**
 * Impact, provenance and lineagePath through GraphQL over the demo lineage; run once per store
 * (lineage-answers.int.test.ts, lineage-answers.services.int.test.ts) with the same expectations.
 */
export function describeLineageAnswers(setup: LineageAnswersSetup) {
  describe(`impact, provenance and lineagePath over the demo lineage (${setup.store})`, () => {
    let app: TestApp;
    let production: { id: string; revisions: Array<{ revision: number; createdAt: string }> };
    let staging: { id: string };
    let versionIds: Record<string, string>;
    let modelVersionIds: Record<number, string>;
    let between: string;

    beforeAll(async () => {
      app = await startTestApp({
        ...(setup.config ? { config: setup.config } : {}),
        ...(setup.database ? { database: setup.database } : {}),
      });
      await seedDemo(`${app.url}/graphql`);
      if (setup.store === "neo4j") {
        // Let the projection catch up, so that every query below is answered by Neo4j.
        const caughtUp = await app.graphql(`{ graphProjection { head } }`);
        const wait = await app.graphql(`query($id: ID!) { lineage(nodeId: $id, consistency: LATEST) { source { store } } }`, {
          id: (await app.graphql(`{ deployment(namespace: "acme-ml", name: "churn-production") { id } }`)).data!.deployment.id,
        });
        expect(caughtUp.errors).toBeUndefined();
        expect(wait.data!.lineage.source.store).toBe("neo4j");
      }
      const deployments = await app.graphql(`{
      production: deployment(namespace: "acme-ml", name: "churn-production") { id revisions(first: 10) { edges { node { revision createdAt } } } }
      staging: deployment(namespace: "acme-ml", name: "churn-staging") { id }
      model(namespace: "acme-ml", name: "churn-classifier") { versions(first: 10) { edges { node { id version } } } }
      datasetVersions: datasets(first: 20, filter: { namespace: "acme-ml" }) { edges { node { name versions(first: 10) { edges { node { id version } } } } } }
    }`);
      expect(deployments.errors).toBeUndefined();
      const data = deployments.data!;
      production = { id: data.production.id, revisions: data.production.revisions.edges.map((e: any) => e.node) };
      staging = data.staging;
      modelVersionIds = Object.fromEntries(data.model.versions.edges.map((e: any) => [e.node.version, e.node.id]));
      versionIds = {};
      for (const { node } of data.datasetVersions.edges) {
        for (const version of node.versions.edges) versionIds[`${node.name}@${version.node.version}`] = version.node.id;
      }
      const first = production.revisions.find((r) => r.revision === 1)!;
      const second = production.revisions.find((r) => r.revision === 2)!;
      between = new Date((Date.parse(first.createdAt) + Date.parse(second.createdAt)) / 2).toISOString();
    });
    afterAll(async () => {
      await app?.close();
    });

    describe("impact", () => {
      it("follows a bad holdout version to the model it validated and the deployment that served it, no longer serving", async () => {
        const result = await app.graphql(IMPACT, { id: versionIds["features/user_activity_holdout@1"] });
        expect(result.errors).toBeUndefined();
        const impact = result.data!.impact;
        expect(impact.root).toEqual({ id: versionIds["features/user_activity_holdout@1"], type: "DATASET_VERSION" });
        // The four trials of the first sweep read it for validation.
        expect(impact.runs).toHaveLength(4);
        expect(impact.runs.every((run: any) => run.depth === 1)).toBe(true);
        expect(impact.modelVersions.map((mv: any) => mv.node.version)).toEqual([1]);
        expect(impact.deployments).toHaveLength(1);
        expect(impact.deployments[0]).toMatchObject({
          servingAt: false,
          trafficPercent: 0,
          deployment: { name: "churn-production" },
          shares: [{ percent: 100, modelVersion: { version: 1 } }],
        });
        expect(impact.deployments[0].shares[0].validTo).not.toBeNull();
        expect(impact.truncated).toBe(false);
        expect(impact.source).toEqual({ store: setup.store, consistent: true, fallback: "NONE", reason: null });
      });

      it("marks the deployment as serving at a time when the impacted model version served it", async () => {
        const result = await app.graphql(IMPACT, { id: versionIds["features/user_activity_holdout@1"], asOf: between });
        expect(result.data!.impact.deployments[0]).toMatchObject({
          servingAt: true,
          trafficPercent: 100,
          deployment: { name: "churn-production" },
        });
      });

      it("adds up the traffic of every impacted model version, canary included", async () => {
        const result = await app.graphql(IMPACT, { id: versionIds["features/user_activity_holdout@2"] });
        const impact = result.data!.impact;
        expect(impact.modelVersions.map((mv: any) => mv.node.version).sort()).toEqual([2, 3]);
        const byName = Object.fromEntries(impact.deployments.map((d: any) => [d.deployment.name, d]));
        expect(byName["churn-production"]).toMatchObject({ servingAt: true, trafficPercent: 100 });
        expect(byName["churn-staging"]).toMatchObject({ servingAt: true, trafficPercent: 100 });
        // v2 at 100% (closed by the canary), then v2 at 90% and v3 at 10%.
        expect(byName["churn-production"].shares.map((s: any) => `${s.modelVersion.version}:${s.percent}`)).toEqual(
          expect.arrayContaining(["2:100", "2:90", "3:10"]),
        );
        expect(byName["churn-production"].shares).toHaveLength(3);
      });

      it("from a model version lists its deployments but not itself", async () => {
        const result = await app.graphql(IMPACT, { id: modelVersionIds[3] });
        const impact = result.data!.impact;
        expect(impact.modelVersions).toEqual([]);
        expect(impact.deployments.map((d: any) => [d.deployment.name, d.trafficPercent]).sort()).toEqual([
          ["churn-production", 10],
          ["churn-staging", 100],
        ]);
      });

      it("sets truncated when the limit cuts the answer", async () => {
        const result = await app.graphql(IMPACT, { id: versionIds["raw/clickstream_events@1"], limit: 2 });
        expect(result.data!.impact.truncated).toBe(true);
        expect(result.data!.impact.runs.length + result.data!.impact.modelVersions.length).toBe(1);
      });

      it.each([
        ["a deployment", () => ({ id: production.id }), "BAD_USER_INPUT", "nodeId"],
        ["an unknown dataset version", () => ({ id: idOf("DatasetVersion", UNKNOWN) }), "NOT_FOUND", "nodeId"],
        ["an undecodable id", () => ({ id: "%%%" }), "BAD_USER_INPUT", "nodeId"],
        ["a depth of 11", () => ({ id: versionIds["raw/clickstream_events@1"], depth: 11 }), "BAD_USER_INPUT", "depth"],
        ["a limit of 0", () => ({ id: versionIds["raw/clickstream_events@1"], limit: 0 }), "BAD_USER_INPUT", "limit"],
      ])("refuses %s", async (_label, variables, code, field) => {
        const result = await app.graphql(IMPACT, variables());
        expect(result.data).toBeNull();
        expect(result.errors?.[0]?.extensions).toMatchObject({ code, field });
      });
    });

    describe("provenance", () => {
      it("explains both sides of production's canary split: data with roles, features, commit and hyperparameters", async () => {
        const result = await app.graphql(PROVENANCE, { deploymentId: production.id });
        expect(result.errors).toBeUndefined();
        const provenance = result.data!.provenance;
        expect(provenance.deployment).toEqual({ name: "churn-production" });
        expect(provenance.modelVersions.map((mv: any) => [mv.modelVersion.version, mv.trafficPercent])).toEqual([
          [2, 90],
          [3, 10],
        ]);
        for (const entry of provenance.modelVersions) {
          const producer = entry.runs[0];
          expect(producer.depth).toBe(1);
          expect(producer.run.hyperparameters).toMatchObject({ model: "logistic_regression", epochs: 30 });
          expect(producer.run.latestMetrics.val_auc).toBeGreaterThan(0.5);
          const direct = entry.datasetVersions
            .filter((dv: any) => dv.depth === 2)
            .map((dv: any) => `${dv.datasetVersion.dataset.name}@${dv.datasetVersion.version}:${dv.role}`)
            .sort();
          expect(direct).toEqual(["features/user_activity_daily@2:TRAIN", "features/user_activity_holdout@2:VALIDATION"]);
          expect(entry.datasetVersions.find((dv: any) => dv.depth === 2).readBy.id).toBe(producer.run.id);
          expect(entry.features.map((f: any) => f.name).sort()).toEqual(["avg_session_minutes", "purchases_30d", "sessions_7d"]);
          expect(entry.commits.map((c: any) => c.sha)).toEqual(["9b8a7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b"]);
          // The raw partitions behind the feature tables are there too.
          expect(entry.datasetVersions.some((dv: any) => dv.datasetVersion.dataset.name === "raw/clickstream_events")).toBe(true);
          expect(entry.graph.nodes.length).toBeGreaterThan(5);
        }
        expect(provenance.truncated).toBe(false);
        expect(provenance.source).toEqual({ store: setup.store, fallback: "NONE" });
      });

      it("answers what served on a past date: the first model version, its own commit and data", async () => {
        const result = await app.graphql(PROVENANCE, { deploymentId: production.id, asOf: between });
        const [only, ...rest] = result.data!.provenance.modelVersions;
        expect(rest).toEqual([]);
        expect(only.modelVersion.version).toBe(1);
        expect(only.trafficPercent).toBe(100);
        expect(only.commits.map((c: any) => c.sha)).toEqual(["4f2c9a1e7b3d5f60718293a4b5c6d7e8f9012345"]);
        expect(
          only.datasetVersions
            .filter((dv: any) => dv.role === "TRAIN")
            .map((dv: any) => `${dv.datasetVersion.dataset.name}@${dv.datasetVersion.version}`),
        ).toEqual(["features/user_activity_daily@1"]);
      });

      it("is empty before the deployment served anything", async () => {
        const result = await app.graphql(PROVENANCE, { deploymentId: production.id, asOf: "2000-01-01T00:00:00Z" });
        expect(result.data!.provenance.modelVersions).toEqual([]);
      });

      it("answers for a model version on its own, without a traffic share", async () => {
        const result = await app.graphql(PROVENANCE, { modelVersionId: modelVersionIds[1] });
        const provenance = result.data!.provenance;
        expect(provenance.deployment).toBeNull();
        expect(provenance.modelVersions).toHaveLength(1);
        expect(provenance.modelVersions[0]).toMatchObject({ trafficPercent: null, modelVersion: { version: 1 } });
      });

      it.each([
        ["neither id", () => ({}), "BAD_USER_INPUT", "deploymentId"],
        [
          "both ids",
          () => ({ deploymentId: production.id, modelVersionId: modelVersionIds[1] }),
          "BAD_USER_INPUT",
          "deploymentId",
        ],
        ["a model version as the deployment", () => ({ deploymentId: modelVersionIds[1] }), "BAD_USER_INPUT", "deploymentId"],
        ["an unknown deployment", () => ({ deploymentId: idOf("Deployment", UNKNOWN) }), "NOT_FOUND", "deploymentId"],
        ["an unknown model version", () => ({ modelVersionId: idOf("ModelVersion", UNKNOWN) }), "NOT_FOUND", "modelVersionId"],
      ])("refuses %s", async (_label, variables, code, field) => {
        const result = await app.graphql(PROVENANCE, variables());
        expect(result.data).toBeNull();
        expect(result.errors?.[0]?.extensions).toMatchObject({ code, field });
      });
    });

    describe("lineagePath", () => {
      it("finds a shortest path from a raw partition to production, in the order data flowed", async () => {
        const from = versionIds["raw/clickstream_events@2"]!;
        const result = await app.graphql(PATH, { from, to: production.id });
        expect(result.errors).toBeUndefined();
        const path = result.data!.lineagePath;
        expect(path.direction).toBe("DOWNSTREAM");
        expect(path.nodes[0].id).toBe(from);
        expect(path.nodes.at(-1).id).toBe(production.id);
        expect(path.nodes.map((n: any) => n.depth)).toEqual(path.nodes.map((_: unknown, i: number) => i));
        expect(path.edges).toHaveLength(path.nodes.length - 1);
        path.edges.forEach((edge: any, i: number) => {
          expect(edge.upstreamId).toBe(path.nodes[i].id);
          expect(edge.downstreamId).toBe(path.nodes[i + 1].id);
        });
        expect(path.edges.at(-1).kind).toBe("SERVES");
        expect(path.source.store).toBe(setup.store);
        // raw ➜ build run ➜ daily features ➜ trial ➜ model version ➜ production
        expect(path.nodes.map((n: any) => n.type)).toEqual([
          "DATASET_VERSION",
          "RUN",
          "DATASET_VERSION",
          "RUN",
          "MODEL_VERSION",
          "DEPLOYMENT",
        ]);
      });

      it("answers the other way round as UPSTREAM, still in flow order", async () => {
        const down = await app.graphql(PATH, { from: versionIds["raw/clickstream_events@2"], to: production.id });
        const up = await app.graphql(PATH, { from: production.id, to: versionIds["raw/clickstream_events@2"] });
        expect(up.data!.lineagePath.direction).toBe("UPSTREAM");
        expect(up.data!.lineagePath.nodes.map((n: any) => n.id)).toEqual(down.data!.lineagePath.nodes.map((n: any) => n.id));
      });

      it("says there is no path between two deployments, or when edge kinds or depth rule it out", async () => {
        for (const variables of [
          { from: staging.id, to: production.id },
          { from: versionIds["raw/clickstream_events@2"], to: production.id, maxDepth: 2 },
          { from: versionIds["raw/clickstream_events@2"], to: production.id, kinds: ["CONSUMED", "PRODUCED"] },
        ]) {
          const result = await app.graphql(PATH, variables);
          expect(result.errors).toBeUndefined();
          expect(result.data!.lineagePath).toMatchObject({ direction: null, nodes: [], edges: [] });
        }
      });

      it.each([
        ["an unknown target", () => ({ from: production.id, to: idOf("Run", UNKNOWN) }), "NOT_FOUND", "to"],
        ["a namespace as the source", () => ({ from: idOf("Namespace", UNKNOWN), to: production.id }), "BAD_USER_INPUT", "from"],
        ["a maxDepth of 0", () => ({ from: production.id, to: staging.id, maxDepth: 0 }), "BAD_USER_INPUT", "maxDepth"],
      ])("refuses %s", async (_label, variables, code, field) => {
        const result = await app.graphql(PATH, variables());
        expect(result.data).toBeNull();
        expect(result.errors?.[0]?.extensions).toMatchObject({ code, field });
      });
    });

    it("reports the graph projection's state", async () => {
      const result = await app.graphql("{ graphProjection { configured store lagRows projectorRunning } }");
      expect(result.data!.graphProjection).toEqual(
        setup.store === "neo4j"
          ? { configured: true, store: "neo4j", lagRows: 0, projectorRunning: true }
          : { configured: false, store: "postgres", lagRows: 0, projectorRunning: false },
      );
    });
  });
}
