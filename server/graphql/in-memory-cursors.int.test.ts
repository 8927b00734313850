import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SET_TRAFFIC, deploymentFixtures } from "../deployment/deployment.fixtures.js";
import { type TestApp, startTestApp } from "../testing/test-app.js";

const VERSIONS = `query($after: String) { model(namespace: "serving", name: "ranker") {
  versions(first: 1, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { version } } }
} }`;
const REVISIONS = `query($after: String) { deployment(namespace: "serving", name: "stable") {
  revisions(first: 1, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { revision } } }
} }`;

/** Newest-first lists paged in memory keep their cursors when a newer row arrives between pages. */
describe("in-memory child pages use keyset cursors", () => {
  let app: TestApp;
  let fixtures: ReturnType<typeof deploymentFixtures>;

  async function page(query: string, after: string | null, list: "model" | "deployment") {
    const result = await app.graphql(query, { after });
    expect(result.errors).toBeUndefined();
    const connection = result.data![list][list === "model" ? "versions" : "revisions"];
    return {
      items: connection.edges.map((edge: { node: Record<string, number> }) => Object.values(edge.node)[0]),
      totalCount: connection.totalCount as number,
      hasNextPage: connection.pageInfo.hasNextPage as boolean,
      endCursor: connection.pageInfo.endCursor as string,
    };
  }

  beforeAll(async () => {
    app = await startTestApp();
    fixtures = deploymentFixtures(app);
  });
  afterAll(async () => {
    await app?.close();
  });

  it("Model.versions: page 2 continues after page 1 although a version was registered in between", async () => {
    await fixtures.modelVersion();
    await fixtures.modelVersion();
    const first = await page(VERSIONS, null, "model");
    expect(first).toMatchObject({ items: [2], totalCount: 2, hasNextPage: true });
    await fixtures.modelVersion();
    const second = await page(VERSIONS, first.endCursor, "model");
    expect(second).toMatchObject({ items: [1], totalCount: 3, hasNextPage: false });
  });

  it("Deployment.revisions: page 2 continues after page 1 although a revision was added in between", async () => {
    const versions = [await fixtures.modelVersion(), await fixtures.modelVersion()];
    const deployment = await fixtures.createDeployment("stable");
    const setTraffic = async (split: number[]) => {
      const result = await app.graphql(SET_TRAFFIC, {
        input: {
          deploymentId: deployment.id,
          trafficSplit: split.flatMap((percent, index) => (percent > 0 ? [{ modelVersionId: versions[index], percent }] : [])),
        },
      });
      expect(result.errors).toBeUndefined();
    };
    await setTraffic([100, 0]);
    await setTraffic([50, 50]);
    const first = await page(REVISIONS, null, "deployment");
    expect(first).toMatchObject({ items: [2], totalCount: 2, hasNextPage: true });
    await setTraffic([0, 100]);
    const second = await page(REVISIONS, first.endCursor, "deployment");
    expect(second).toMatchObject({ items: [1], totalCount: 3, hasNextPage: false });
  });
});
