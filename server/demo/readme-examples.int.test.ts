import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestApp, startTestApp } from "../testing/test-app.js";
import { seedDemo } from "./demo-seed.js";

const README = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
const EXAMPLES = [...README.matchAll(/```graphql\n([\s\S]*?)```/g)].map((match) => {
  const document = match[1]!;
  const name = /^(?:query|mutation)\s+(\w+)/m.exec(document)?.[1] ?? "anonymous";
  return { name, document };
});

describe("README examples against the demo data", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
    await seedDemo(`${app.url}/graphql`);
  });
  afterAll(async () => {
    await app?.close();
  });

  it("the README has examples", () => {
    expect(EXAMPLES.map((example) => example.name)).toEqual(
      expect.arrayContaining([
        "Downstream",
        "ProductionProvenance",
        "ProductionHistory",
        "WhoReadTheFeatures",
        "GoodRuns",
        "Models",
        "RegisterData",
        "TrackARun",
        "Impact",
        "WhatServedThen",
        "ColumnLineage",
        "ServingHealth",
      ]),
    );
  });

  it("the demo seed is idempotent", async () => {
    const before = await app.countRows(["dataset_version", "run", "model_version", "deployment_revision", "metric_point"]);
    await seedDemo(`${app.url}/graphql`);
    expect(await app.countRows(["dataset_version", "run", "model_version", "deployment_revision", "metric_point"])).toEqual(
      before,
    );
  });

  it("seeds READY model versions that the demo deployments serve", async () => {
    const versions = await app.graphql(
      `{ model(namespace: "acme-ml", name: "churn-classifier") { versions(first: 10) { edges { node { version status artifactUri } } } } }`,
    );
    expect(versions.errors).toBeUndefined();
    const nodes = versions.data!.model.versions.edges.map((edge: any) => edge.node);
    expect(nodes).toHaveLength(3);
    for (const node of nodes) {
      expect(node).toMatchObject({ status: "READY", artifactUri: expect.stringMatching(/^file:\/\/.*\.onnx$/) });
    }
    for (const deployment of ["churn-staging", "churn-production"]) {
      const response = await fetch(`${app.url}/v1/deployments/${deployment}/predict?namespace=acme-ml`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          rows: [
            { sessions_7d: 1, purchases_30d: 0, avg_session_minutes: 2 },
            { sessions_7d: 14, purchases_30d: 3, avg_session_minutes: 11 },
          ],
        }),
      });
      expect(response.status, deployment).toBe(200);
      const body = (await response.json()) as { predictions: Array<{ predictionId: string; outputs: any }> };
      const [inactive, active] = body.predictions.map((prediction) => prediction.outputs);
      // An inactive user is likely to churn, an active one is not.
      expect(inactive.label).toBe("true");
      expect(active.label).toBe("false");
      expect(inactive.probabilities.true).toBeGreaterThan(0.5);
    }
  });

  it.each(EXAMPLES)("$name runs without errors", async ({ name, document }) => {
    const variables: Record<string, unknown> = {};
    if (name === "Downstream") {
      const versions = await app.graphql(
        `{ dataset(namespace: "acme-ml", name: "raw/clickstream_events") { versions(first: 1, orderBy: { field: VERSION, direction: ASC }) { edges { node { id } } } } }`,
      );
      variables.id = versions.data!.dataset.versions.edges[0].node.id;
    }
    if (name === "Impact") {
      const holdout = await app.graphql(
        `{ dataset(namespace: "acme-ml", name: "features/user_activity_holdout") { versions(first: 1, orderBy: { field: VERSION, direction: ASC }) { edges { node { id } } } } }`,
      );
      variables.id = holdout.data!.dataset.versions.edges[0].node.id;
    }
    if (name === "WhatServedThen") {
      const production = await app.graphql(
        `{ deployment(namespace: "acme-ml", name: "churn-production") { id revisions(first: 10) { edges { node { createdAt } } } } }`,
      );
      variables.deployment = production.data!.deployment.id;
      // Revisions come newest first: the last is the first release.
      variables.asOf = production.data!.deployment.revisions.edges.at(-1).node.createdAt;
    }
    if (name === "ColumnLineage") {
      const daily = await app.graphql(
        `{ dataset(namespace: "acme-ml", name: "features/user_activity_daily") { versions(first: 1, orderBy: { field: VERSION, direction: ASC }) { edges { node { id fields { id name } } } } }
           deployment(namespace: "acme-ml", name: "churn-production") { id } }`,
      );
      const version = daily.data!.dataset.versions.edges[0].node;
      variables.field = version.fields.find((field: { name: string }) => field.name === "sessions_7d").id;
      variables.from = version.id;
      variables.to = daily.data!.deployment.id;
    }
    if (name === "TrackARun") {
      const versions = await app.graphql(`{ datasetVersions(first: 1) { edges { node { id } } } }`);
      variables.train = versions.data!.datasetVersions.edges[0].node.id;
    }
    const result = await app.graphql(document, variables);
    expect(result.errors).toBeUndefined();
    expect(result.data).toBeTruthy();
    if (name === "ProductionProvenance") {
      const split = result.data!.deployment.currentRevision.trafficSplit;
      expect(split.map((share: { percent: number }) => share.percent)).toEqual([90, 10]);
      for (const share of split) {
        expect(share.modelVersion.sourceRun.commit.sha).toMatch(/^[0-9a-f]{40}$/);
        expect(share.modelVersion.sourceRun.inputs.map((input: { role: string }) => input.role).sort()).toEqual([
          "TRAIN",
          "VALIDATION",
        ]);
        expect(share.modelVersion.sourceRun.features).toHaveLength(3);
      }
    }
    if (name === "ProductionHistory") {
      expect(result.data!.deployment.revisions.edges.map((edge: any) => edge.node.revision)).toEqual([3, 2, 1]);
    }
    if (name === "GoodRuns") expect(result.data!.runs.totalCount).toBeGreaterThan(0);
    if (name === "Downstream") {
      const deployments = result.data!.lineage.nodes.filter((n: { type: string }) => n.type === "DEPLOYMENT");
      expect(deployments.map((n: any) => n.node.name).sort()).toEqual(["churn-production", "churn-staging"]);
    }
    if (name === "Impact") {
      expect(result.data!.impact.modelVersions.map((mv: any) => mv.node.version)).toEqual([1]);
      expect(result.data!.impact.deployments[0]).toMatchObject({ servingAt: false, deployment: { name: "churn-production" } });
    }
    if (name === "WhatServedThen") {
      const [first, ...others] = result.data!.provenance.modelVersions;
      expect(others).toEqual([]);
      expect(first).toMatchObject({ trafficPercent: 100, modelVersion: { version: 1 } });
      expect(first.datasetVersions.map((dv: any) => dv.role)).toEqual(expect.arrayContaining(["TRAIN", "VALIDATION"]));
    }
    if (name === "ColumnLineage") {
      expect(result.data!.lineage.nodes.map((n: any) => n.node.name).sort()).toEqual(["event_id", "sessions_7d", "ts"]);
      expect(result.data!.lineagePath.direction).toBe("DOWNSTREAM");
    }
    if (name === "ServingHealth") {
      const split = result.data!.deployment.currentRevision.trafficSplit;
      expect(split.map((share: any) => share.modelVersion.status)).toEqual(["READY", "READY"]);
      expect(result.data!.deployment.alertRules.map((rule: { name: string }) => rule.name)).toEqual(
        expect.arrayContaining(["p99-latency", "error-rate", "data-drift", "prediction-drift", "accuracy-drop"]),
      );
    }
    if (name === "WhoReadTheFeatures") {
      expect(result.data!.dataset.versions.edges[0].node.consumedBy.length).toBeGreaterThan(0);
    }
  });
});
