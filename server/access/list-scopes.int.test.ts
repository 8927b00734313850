import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeNodeId, type NodeKind } from "../graphql/node-id.js";
import { systemMeta } from "../identity/identity.service.js";
import type { Page } from "../lib/paginate.js";
import type { VisibleNamespaceIds } from "../lib/visible-namespaces.js";
import { type TestApp, startTestApp } from "../testing/test-app.js";

// Every top-level list answers only records of namespaces the caller may read, filtered in SQL so
// that totalCount and pagination agree with what is shown.

const sha = (n: number) => n.toString(16).padStart(64, "0");

/** Global ids of one record of every namespaced kind, all in one namespace. */
interface Seeded {
  namespaceKey: string;
  deploymentKey: string;
  /** Audit events come and go with the test (tokens are audited): `expectedIds` reads them fresh. */
  ids: Record<Exclude<ListName, "auditEvents">, string[]>;
}

type ListName =
  | "namespaces"
  | "datasets"
  | "datasetVersions"
  | "featureSets"
  | "features"
  | "codeCommits"
  | "jobs"
  | "runs"
  | "models"
  | "modelVersions"
  | "deployments"
  | "driftReports"
  | "alerts"
  | "auditEvents";

const LISTS: ListName[] = [
  "namespaces",
  "datasets",
  "datasetVersions",
  "featureSets",
  "features",
  "codeCommits",
  "jobs",
  "runs",
  "models",
  "modelVersions",
  "deployments",
  "driftReports",
  "alerts",
  "auditEvents",
];

describe("list queries are restricted to the caller's namespaces", () => {
  let app: TestApp;
  let a: Seeded;
  let b: Seeded;
  let seeded = 0;

  async function seed(namespace: string): Promise<Seeded> {
    // Through the services with the system's authority: this test is about reading.
    const s = app.services;
    const meta = systemMeta("test:list-scopes");
    seeded += 1;
    const { namespace: ns } = await s.namespaces.register(meta, { name: namespace });
    const { datasetVersion } = await s.datasets.registerVersion(meta, {
      namespace,
      dataset: "events",
      uri: `s3://lake/${namespace}/events`,
      format: "PARQUET",
      digest: `sha256:${sha(seeded)}`,
      schemaFields: [{ name: "user_id", type: "int64", description: null }],
      rowCount: null,
      sizeBytes: null,
      snapshotRef: null,
      producedBy: undefined,
    });
    const { featureSet } = await s.featureSets.register(meta, { namespace, name: "users", entityKeys: [], description: null });
    const { feature } = await s.features.register(meta, {
      featureSet: { id: featureSet.id, shownAs: encodeNodeId("FeatureSet", featureSet.id) },
      name: "age",
      dtype: "int64",
      description: null,
      transformationRef: null,
      sources: [],
    });
    const { codeCommit } = await s.codeCommits.register(meta, {
      namespace,
      repository: "git@example.com:ml/train.git",
      sha: sha(1000 + seeded).slice(0, 40),
      branch: null,
      author: null,
      message: null,
      committedAt: null,
    });
    const { job } = await s.jobs.register(meta, { namespace, name: "train" });
    const { run } = await s.runs.start(meta, {
      job: { namespace, name: "train" },
      externalId: null,
      parent: null,
      commit: null,
      hyperparameters: {},
      inputs: [],
      features: [],
      status: "RUNNING",
      startedAt: null,
      nominalTime: null,
    });
    const { modelVersion } = await s.modelVersions.registerVersion(meta, {
      namespace,
      model: "ranker",
      artifactUri: `s3://models/${namespace}/ranker.onnx`,
      artifactSha256: sha(2000 + seeded),
      signature: {},
      metrics: {},
      description: null,
      sourceRun: undefined,
      aliases: [],
    });
    const { deployment } = await s.deployments.create(meta, {
      namespace,
      name: "api",
      environment: "production",
      description: null,
      trafficSplit: undefined,
      reason: null,
    });
    // Reports and alerts are written by monitoring jobs; rows stand in for them here.
    const deploymentKey = deployment.id;
    const { rows: rules } = await app.db.pool.query<{ id: string }>(
      `INSERT INTO alert_rule (deployment_id, name, kind) VALUES ($1::uuid, 'drift', 'DATA_DRIFT') RETURNING id::text`,
      [deploymentKey],
    );
    const { rows: reports } = await app.db.pool.query<{ id: string }>(
      `INSERT INTO drift_report (deployment_id, model_version_id, window_start, window_end)
       VALUES ($1::uuid, $2::uuid, now() - interval '1 hour', now()) RETURNING id::text`,
      [deploymentKey, modelVersion.id],
    );
    const { rows: alerts } = await app.db.pool.query<{ id: string }>(
      `INSERT INTO alert (rule_id, deployment_id, drift_report_id, message) VALUES ($1::uuid, $2::uuid, $3::uuid, 'drift')
       RETURNING id::text`,
      [rules[0]!.id, deploymentKey, reports[0]!.id],
    );
    return {
      namespaceKey: ns.id,
      deploymentKey: deployment.id,
      ids: {
        namespaces: [encodeNodeId("Namespace", ns.id)],
        datasets: [encodeNodeId("Dataset", datasetVersion.datasetId)],
        datasetVersions: [encodeNodeId("DatasetVersion", datasetVersion.id)],
        featureSets: [encodeNodeId("FeatureSet", featureSet.id)],
        features: [encodeNodeId("Feature", feature.id)],
        codeCommits: [encodeNodeId("CodeCommit", codeCommit.id)],
        jobs: [encodeNodeId("Job", job.id)],
        runs: [encodeNodeId("Run", run.id)],
        models: [encodeNodeId("Model", modelVersion.modelId)],
        modelVersions: [encodeNodeId("ModelVersion", modelVersion.id)],
        deployments: [encodeNodeId("Deployment", deployment.id)],
        driftReports: [encodeNodeId("DriftReport", reports[0]!.id)],
        alerts: [encodeNodeId("Alert", alerts[0]!.id)],
      },
    };
  }

  beforeAll(async () => {
    app = await startTestApp();
    a = await seed("scope-a");
    b = await seed("scope-b");
    // Events of no namespace (a user created and bound): only callers who read every namespace see them.
    await app.services.identity.bootstrapAdmin(systemMeta("test:list-scopes"), { email: "root@example.com" });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  /** Global ids of the records of `list` in the namespace of `seed`. */
  async function expectedIds(seed: Seeded, list: ListName): Promise<string[]> {
    if (list !== "auditEvents") return seed.ids[list];
    const { rows } = await app.db.pool.query<{ id: string }>("SELECT id::text FROM audit_event WHERE namespace_id = $1::uuid", [
      seed.namespaceKey,
    ]);
    return rows.map((row) => encodeNodeId("AuditEvent", row.id));
  }

  /** Runs one list through its service with `visible`, returning the global ids and totalCount. */
  async function listThroughService(list: ListName, visible: VisibleNamespaceIds, first = 100) {
    const s = app.services;
    const page = { first };
    const scoped = { visibleNamespaceIds: visible };
    const ids = (kind: NodeKind, result: { page: Page<{ id: string | number }>; count: () => Promise<number> }) =>
      result.count().then((total) => ({ ids: result.page.rows.map((row) => encodeNodeId(kind, String(row.id))), total }));
    switch (list) {
      case "namespaces":
        return ids("Namespace", await s.namespaces.list(scoped, page, "name", "asc"));
      case "datasets":
        return ids("Dataset", await s.datasets.list(scoped, page, "name", "asc"));
      case "datasetVersions":
        return ids("DatasetVersion", await s.datasets.listVersions(scoped, page, "createdAt", "desc"));
      case "featureSets":
        return ids("FeatureSet", await s.featureSets.list(scoped, page, "name", "asc"));
      case "features":
        return ids("Feature", await s.features.list(scoped, page, "name", "asc"));
      case "codeCommits":
        return ids("CodeCommit", await s.codeCommits.list(scoped, page, "createdAt", "desc"));
      case "jobs":
        return ids("Job", await s.jobs.list(scoped, page, "name", "asc"));
      case "runs":
        return ids("Run", await s.runs.list(scoped, page, "createdAt", "desc"));
      case "models":
        return ids("Model", await s.models.list(scoped, page, "name", "asc"));
      case "modelVersions":
        return ids("ModelVersion", await s.modelVersions.list(scoped, page, "createdAt", "desc"));
      case "deployments":
        return ids("Deployment", await s.deployments.list(scoped, page, "name", "asc"));
      case "alerts":
        return ids("Alert", await s.monitoring.listAlerts(scoped, page));
      case "auditEvents":
        return ids("AuditEvent", await s.auditEvents.list(scoped, page, "asc"));
      case "driftReports": {
        // Listed per deployment: the reports of both deployments, each asked for separately.
        const results = await Promise.all(
          [a, b].map(async (seed) => ids("DriftReport", await s.monitoring.driftReports(seed.deploymentKey, page, visible))),
        );
        return { ids: results.flatMap((result) => result.ids), total: results.reduce((sum, result) => sum + result.total, 0) };
      }
    }
  }

  it.each(LISTS)("%s: a scope of namespace A lists only A's records, with A's totalCount", async (list) => {
    const inA = await expectedIds(a, list);
    expect(inA.length).toBeGreaterThan(0);
    const { ids, total } = await listThroughService(list, [a.namespaceKey]);
    expect(new Set(ids)).toEqual(new Set(inA));
    expect(total).toBe(inA.length);
  });

  it.each(LISTS)("%s: a scope of A and B lists both", async (list) => {
    const inAOrB = [...(await expectedIds(a, list)), ...(await expectedIds(b, list))];
    const { ids, total } = await listThroughService(list, [a.namespaceKey, b.namespaceKey]);
    expect(new Set(ids)).toEqual(new Set(inAOrB));
    expect(total).toBe(inAOrB.length);
  });

  it.each(LISTS)("%s: an unrestricted scope lists every namespace's records", async (list) => {
    const inAOrB = [...(await expectedIds(a, list)), ...(await expectedIds(b, list))];
    const { ids, total } = await listThroughService(list, undefined);
    for (const id of inAOrB) expect(ids).toContain(id);
    expect(total).toBe(ids.length);
  });

  it.each(LISTS)("%s: a scope of no namespace lists nothing, without querying", async (list) => {
    const start = app.db.statements.count;
    const { ids, total } = await listThroughService(list, []);
    expect(ids).toEqual([]);
    expect(total).toBe(0);
    expect(app.db.statements.count - start).toBe(0);
  });

  it("audit events of no namespace are listed only without a restriction", async () => {
    const { rows } = await app.db.pool.query<{ id: string }>("SELECT id::text FROM audit_event WHERE namespace_id IS NULL");
    expect(rows.length).toBeGreaterThan(0);
    const unscoped = new Set(rows.map((row) => encodeNodeId("AuditEvent", row.id)));
    const all = await listThroughService("auditEvents", undefined);
    for (const id of unscoped) expect(all.ids).toContain(id);
    const scoped = await listThroughService("auditEvents", [a.namespaceKey, b.namespaceKey]);
    for (const id of unscoped) expect(scoped.ids).not.toContain(id);
  });

  /** One list through the API as the caller of `headers`: node ids and totalCount. */
  async function listThroughApi(list: ListName, headers: Record<string, string>, deploymentId?: string) {
    const selection = "{ totalCount edges { node { id } } }";
    const result =
      list === "driftReports"
        ? await app.graphql(
            `query($id: ID!) { driftReports(deploymentId: $id, first: 100) ${selection} }`,
            { id: deploymentId },
            headers,
          )
        : await app.graphql(`{ ${list}(first: 100) ${selection} }`, {}, headers);
    expect(result.errors).toBeUndefined();
    const connection = result.data![list] as { totalCount: number; edges: Array<{ node: { id: string } }> };
    return { ids: connection.edges.map((edge) => edge.node.id), total: connection.totalCount };
  }

  // AUDITOR: it reads (VIEWER) and may also list the audit trail.
  it.each(LISTS)("%s through the API: a token bound to namespace A sees A's records and A's totalCount", async (list) => {
    const { headers } = await app.tokenFor("AUDITOR", "scope-a");
    const inA = await expectedIds(a, list);
    const { ids, total } = await listThroughApi(list, headers, a.ids.deployments[0]);
    expect(new Set(ids)).toEqual(new Set(inA));
    expect(total).toBe(inA.length);
  });

  it.each(LISTS.filter((list) => list !== "auditEvents"))(
    "%s through the API: a global token sees every namespace's records",
    async (list) => {
      const { headers } = await app.tokenFor("AUDITOR");
      for (const seed of list === "driftReports" ? [a, b] : [a]) {
        const { ids, total } = await listThroughApi(list, headers, seed.ids.deployments[0]);
        const expected =
          list === "driftReports" ? seed.ids.driftReports : [...(await expectedIds(a, list)), ...(await expectedIds(b, list))];
        for (const id of expected) expect(ids).toContain(id);
        expect(total).toBe(ids.length);
      }
    },
  );

  it("auditEvents through the API: a global token counts every event, those of no namespace too", async () => {
    const { headers } = await app.tokenFor("AUDITOR");
    const { ids, total } = await listThroughApi("auditEvents", headers);
    const { rows } = await app.db.pool.query<{ count: number }>("SELECT count(*)::int AS count FROM audit_event");
    expect(total).toBe(rows[0]!.count);
    expect(ids).toHaveLength(Math.min(total, 100));
  });

  it("pages a restricted list by cursor, skipping other namespaces' rows in between", async () => {
    const c = await seed("scope-c");
    const visible = [a.namespaceKey, c.namespaceKey];
    const pages: string[][] = [];
    let after: string | undefined;
    for (;;) {
      const { page, count } = await app.services.datasets.list(
        { visibleNamespaceIds: visible },
        { first: 1, after },
        "name",
        "asc",
      );
      pages.push(page.rows.map((row) => encodeNodeId("Dataset", row.id)));
      expect(await count()).toBe(2);
      if (!page.hasNextPage) break;
      after = page.cursorOf(page.rows.at(-1)!);
    }
    expect(pages).toHaveLength(2);
    expect(new Set(pages.flat())).toEqual(new Set([...a.ids.datasets, ...c.ids.datasets]));
  });
});
