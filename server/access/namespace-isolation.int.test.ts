import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openLiveClient, waitForSubscribers } from "../events/live-testing.js";
import { DRIFT_ALERTS_TOPIC, type DriftAlertEvent } from "../events/topics.js";
import { encodeNodeId, tryDecodeNodeId } from "../graphql/node-id.js";
import { type TestApp, startTestApp } from "../testing/test-app.js";
import { systemMeta } from "../identity/identity.service.js";
import { AccessScope } from "./access-scope.js";

const WRITE_TABLES = ["namespace", "dataset", "dataset_version", "job", "run", "lineage_edge", "graph_outbox"];

const REGISTER_VERSION = `mutation($input: RegisterDatasetVersionInput!) {
  registerDatasetVersion(input: $input) { datasetVersion { id } }
}`;
const START_RUN = `mutation($input: StartRunInput!) { startRun(input: $input) { run { id } } }`;

function versionInput(namespace: string, dataset: string) {
  return {
    namespace,
    dataset,
    uri: `s3://${namespace}/${dataset}`,
    digest: `sha256:${randomUUID().replaceAll("-", "")}`,
    format: "PARQUET",
  };
}

describe("namespace scopes: a token bound to namespace A can neither read nor change namespace B", () => {
  let app: TestApp;
  let admin: Record<string, string>;
  let editorA: Record<string, string>;
  let viewerA: Record<string, string>;
  let ids: { versionA: string; versionB: string; runA: string; runB: string; datasetA: string; datasetB: string };

  const call = async (headers: Record<string, string>, query: string, variables: Record<string, unknown> = {}) =>
    app.graphql(query, variables, headers);

  beforeAll(async () => {
    app = await startTestApp({ config: { anonymousRole: null } });
    admin = (await app.tokenFor("ADMIN")).headers;
    for (const name of ["team-a", "team-b"]) {
      const created = await call(admin, `mutation($name: String!) { registerNamespace(input: { name: $name }) { created } }`, {
        name,
      });
      expect(created.errors).toBeUndefined();
    }
    const versionA = (await call(admin, REGISTER_VERSION, { input: versionInput("team-a", "events") })).data!
      .registerDatasetVersion.datasetVersion.id as string;
    const versionB = (await call(admin, REGISTER_VERSION, { input: versionInput("team-b", "secret-events") })).data!
      .registerDatasetVersion.datasetVersion.id as string;
    // A run of A that reads a version of each namespace: its lineage crosses into B.
    const runA = (
      await call(admin, START_RUN, {
        input: { namespace: "team-a", job: "train", inputs: [{ datasetVersionId: versionA }, { datasetVersionId: versionB }] },
      })
    ).data!.startRun.run.id as string;
    const runB = (await call(admin, START_RUN, { input: { namespace: "team-b", job: "train" } })).data!.startRun.run.id as string;
    const datasets = await call(admin, `{ datasets { edges { node { id name } } } }`);
    const byName = new Map(
      (datasets.data!.datasets.edges as Array<{ node: { id: string; name: string } }>).map(({ node }) => [node.name, node.id]),
    );
    ids = { versionA, versionB, runA, runB, datasetA: byName.get("events")!, datasetB: byName.get("secret-events")! };
    editorA = (await app.tokenFor("EDITOR", "team-a")).headers;
    viewerA = (await app.tokenFor("VIEWER", "team-a")).headers;
  });
  afterAll(async () => {
    await app?.close();
  });

  it("lists only A's records, with counts to match", async () => {
    const result = await call(
      editorA,
      `{ datasets { totalCount edges { node { name } } } namespaces { totalCount edges { node { name } } } }`,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      datasets: { totalCount: 1, edges: [{ node: { name: "events" } }] },
      namespaces: { totalCount: 1, edges: [{ node: { name: "team-a" } }] },
    });
  });

  it("answers null for B's nodes however they are asked for", async () => {
    const result = await call(
      editorA,
      `query($a: ID!, $b: ID!) {
        node(id: $b) { id }
        nodes(ids: [$a, $b]) { id }
        dataset(namespace: "team-b", name: "secret-events") { id }
        namespace(name: "team-b") { id }
      }`,
      { a: ids.datasetA, b: ids.datasetB },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ node: null, nodes: [{ id: ids.datasetA }, null], dataset: null, namespace: null });
  });

  it("keeps audit events from everyone but auditors, even by node id", async () => {
    const { rows } = await app.db.pool.query<{ id: string }>("SELECT id::text FROM audit_event ORDER BY id LIMIT 1");
    const id = encodeNodeId("AuditEvent", rows[0]!.id);
    const query = `query($id: ID!) { node(id: $id) { id ... on AuditEvent { action } } }`;
    expect((await call(viewerA, query, { id })).data).toEqual({ node: null });
    expect((await call(admin, query, { id })).data?.node).toMatchObject({ id, action: expect.any(String) });
  });

  it("drops B's nodes and their edges from lineage, and treats a B root as unknown", async () => {
    const upstream = await call(
      editorA,
      `query($id: ID!) { lineage(nodeId: $id, direction: UPSTREAM) { nodes { id } edges { upstreamId downstreamId } } }`,
      { id: ids.runA },
    );
    expect(upstream.errors).toBeUndefined();
    const nodeIds = (upstream.data!.lineage.nodes as Array<{ id: string }>).map((node) => node.id);
    expect(nodeIds).toContain(ids.versionA);
    expect(nodeIds).not.toContain(ids.versionB);
    const edgeEnds = (upstream.data!.lineage.edges as Array<{ upstreamId: string; downstreamId: string }>).flatMap((edge) => [
      edge.upstreamId,
      edge.downstreamId,
    ]);
    expect(edgeEnds).not.toContain(ids.versionB);
    // The admin sees both inputs: the filter is the caller's, not the graph's.
    const all = await call(admin, `query($id: ID!) { lineage(nodeId: $id, direction: UPSTREAM) { nodes { id } } }`, {
      id: ids.runA,
    });
    expect((all.data!.lineage.nodes as Array<{ id: string }>).map((node) => node.id)).toContain(ids.versionB);

    const hidden = await call(editorA, `query($id: ID!) { lineage(nodeId: $id) { nodes { id } } }`, { id: ids.versionB });
    const unknownId = encodeNodeId("DatasetVersion", randomUUID());
    const unknown = await call(admin, `query($id: ID!) { lineage(nodeId: $id) { nodes { id } } }`, { id: unknownId });
    expect(hidden.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    expect(hidden.errors?.[0]?.extensions?.code).toBe(unknown.errors?.[0]?.extensions?.code);
    expect(hidden.errors?.[0]?.message).toBe(unknown.errors?.[0]?.message.replace(unknownId, ids.versionB));
  });

  it("refuses writes into B as not found, writes nothing but the audit of the attempt", async () => {
    const before = await app.countRows([...WRITE_TABLES, "audit_event"]);
    const attempts = [
      await call(editorA, REGISTER_VERSION, { input: versionInput("team-b", "secret-events") }),
      await call(editorA, `mutation($input: UpdateDatasetInput!) { updateDataset(input: $input) { id } }`, {
        input: { id: ids.datasetB, description: "mine now" },
      }),
      // Naming B's version as an input of A's run is reaching into B too.
      await call(editorA, START_RUN, {
        input: { namespace: "team-a", job: "train", inputs: [{ datasetVersionId: ids.versionB }] },
      }),
    ];
    for (const attempt of attempts) {
      expect(attempt.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
      expect(attempt.data).toBeNull();
    }
    expect(await app.countRows(WRITE_TABLES)).toEqual(Object.fromEntries(WRITE_TABLES.map((table) => [table, before[table]])));
    const { rows } = await app.db.pool.query<{ action: string; target_id: string }>(
      "SELECT action, target_id FROM audit_event ORDER BY id DESC LIMIT 3",
    );
    expect(rows.map((row) => row.action)).toEqual(["access.denied", "access.denied", "access.denied"]);
    expect(rows.map((row) => row.target_id)).toEqual([
      "mutation startRun",
      "mutation updateDataset",
      "mutation registerDatasetVersion",
    ]);
  });

  it("lets A's editor write in A, recording the role that allowed it; refuses A's viewer with FORBIDDEN", async () => {
    const written = await call(editorA, REGISTER_VERSION, { input: versionInput("team-a", "events") });
    expect(written.errors).toBeUndefined();
    const { rows } = await app.db.pool.query<{ role: string; actor: string; namespace: string }>(
      `SELECT e.role, e.actor, n.name AS namespace FROM audit_event e JOIN namespace n ON n.id = e.namespace_id
       WHERE e.action = 'dataset_version.registered' ORDER BY e.id DESC LIMIT 1`,
    );
    expect(rows[0]).toMatchObject({ role: "EDITOR", namespace: "team-a" });
    expect(rows[0]?.actor).toMatch(/^editor-/);

    const before = await app.countRows(WRITE_TABLES);
    const refused = await call(viewerA, REGISTER_VERSION, { input: versionInput("team-a", "events") });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: "FORBIDDEN", requiredRoles: ["EDITOR"] });
    expect(await app.countRows(WRITE_TABLES)).toEqual(before);
  });

  it("keeps B's subscriptions and alerts from A's subscribers", async () => {
    const client = openLiveClient(app.url, { authorization: viewerA.authorization });
    try {
      const refused = await new Promise<unknown>((resolve) => {
        client.subscribe(
          { query: "subscription($id: ID!) { runProgress(runId: $id) { status } }", variables: { id: ids.runB } },
          {
            next: (result) => resolve(result.errors?.[0]),
            error: (error) => resolve((error as unknown[])[0]),
            complete: () => {},
          },
        );
      });
      expect(refused).toMatchObject({ extensions: { code: "NOT_FOUND" } });

      const alerts = client.iterate<{ driftAlerts: { namespace: string; message: string } }>({
        query: "subscription { driftAlerts { namespace message } }",
      });
      const first = alerts.next();
      await waitForSubscribers(app.services.events, DRIFT_ALERTS_TOPIC, 1);
      const alert = (namespace: string, message: string): DriftAlertEvent => ({
        alertId: randomUUID(),
        deploymentId: randomUUID(),
        namespace,
        kind: "DATA_DRIFT",
        severity: "WARNING",
        message,
        raisedAt: new Date().toISOString(),
        driftingFeatures: [],
      });
      await app.services.events.publish(DRIFT_ALERTS_TOPIC, alert("team-b", "B's secret drift"));
      await app.services.events.publish(DRIFT_ALERTS_TOPIC, alert("team-a", "A's drift"));
      expect((await first).value?.data?.driftAlerts).toEqual({ namespace: "team-a", message: "A's drift" });
      await alerts.return?.();
    } finally {
      await client.dispose();
    }
  });

  it("answers predict on B's deployments like unknown ones (404), and without a token 401", async () => {
    const predict = (headers: Record<string, string>, namespace: string) =>
      fetch(`${app.url}/v1/deployments/scorer/predict?namespace=${namespace}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ rows: [{ x: 1 }] }),
      });
    const hidden = await predict(viewerA, "team-b");
    const unknown = await predict(viewerA, "no-such-namespace");
    expect(hidden.status).toBe(404);
    expect(unknown.status).toBe(404);
    const hiddenBody = (await hidden.json()) as { errors: Array<{ message: string }> };
    expect(hiddenBody.errors[0]?.message).toBe('Namespace "team-b" not found.');
    expect((await predict({}, "team-a")).status).toBe(401);
  });

  it("lets a namespace ADMIN bind roles there only", async () => {
    const adminA = (await app.tokenFor("ADMIN", "team-a")).headers;
    const target = await app.tokenFor("VIEWER", "team-a");
    const grant = `mutation($input: RoleBindingInput!) { grantRole(input: $input) { roles { role namespaceId } } }`;
    const userId = encodeNodeId("User", target.userId);
    const inA = await call(adminA, grant, { input: { userId, role: "EDITOR", namespace: "team-a" } });
    expect(inA.errors).toBeUndefined();
    const globally = await call(adminA, grant, { input: { userId, role: "EDITOR" } });
    expect(globally.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const inB = await call(adminA, grant, { input: { userId, role: "EDITOR", namespace: "team-b" } });
    expect(inB.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    const roles = (inA.data!.grantRole.roles as Array<{ role: string }>).map((binding) => binding.role).sort();
    expect(roles).toEqual(["EDITOR", "VIEWER"]);
  });

  it("shows a namespace AUDITOR with wider read access only the audit trail of their namespace", async () => {
    // Global VIEWER (reads everything) + AUDITOR in team-a: the audit log is team-a's alone.
    const auditor = await app.tokenFor("VIEWER");
    await app.services.identity.grantRole(systemMeta("test"), { userId: auditor.userId, role: "AUDITOR", namespace: "team-a" });
    const teamA = await namespaceId("team-a");
    const events = await call(auditor.headers, `{ auditEvents(first: 100) { totalCount edges { node { id } } } }`);
    expect(events.errors).toBeUndefined();
    const { rows } = await app.db.pool.query<{ count: number }>(
      "SELECT count(*)::int AS count FROM audit_event WHERE namespace_id = $1::uuid",
      [teamA],
    );
    expect(events.data!.auditEvents.totalCount).toBe(rows[0]!.count);
    // The same through the filters an admin uses: by namespace name, and by kind of target.
    const byFilter = await call(
      admin,
      `{ a: auditEvents(filter: { namespace: "team-a" }) { totalCount }
      b: auditEvents(filter: { namespace: "no-such-namespace" }) { totalCount }
      c: auditEvents(filter: { namespace: "team-a", targetType: "DatasetVersion" }) { totalCount } }`,
    );
    const versionsInA = await app.db.pool.query<{ count: number }>(
      "SELECT count(*)::int AS count FROM audit_event WHERE namespace_id = $1::uuid AND target_type = 'DatasetVersion'",
      [teamA],
    );
    expect(byFilter.data).toEqual({
      a: { totalCount: rows[0]!.count },
      b: { totalCount: 0 },
      c: { totalCount: versionsInA.rows[0]!.count },
    });
    const badKind = await call(admin, `{ auditEvents(filter: { targetType: "Spaceship" }) { totalCount } }`);
    expect(badKind.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "filter.targetType" });
    // A global event (a user created) is not theirs, even by id; nor is verifying the whole chain.
    const global = await app.db.pool.query<{ id: string }>(
      "SELECT id::text FROM audit_event WHERE namespace_id IS NULL ORDER BY id LIMIT 1",
    );
    const node = await call(auditor.headers, `query($id: ID!) { node(id: $id) { id } }`, {
      id: encodeNodeId("AuditEvent", global.rows[0]!.id),
    });
    expect(node.data).toEqual({ node: null });
    const verify = await call(auditor.headers, `{ verifyAuditChain { ok } }`);
    expect(verify.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    // Exports of everything (an admin's) are not listed for them.
    await call(admin, `mutation { requestAuditExport(format: JSONL) { id } }`);
    const adminExports = await call(admin, `{ exports { totalCount } }`);
    expect(adminExports.data!.exports.totalCount).toBeGreaterThan(0);
    expect((await call(auditor.headers, `{ exports { totalCount } }`)).data).toEqual({ exports: { totalCount: 0 } });
  });

  it("drops column derivations from B's fields, and hides B's run on the ones it keeps", async () => {
    const withSchema = (namespace: string, dataset: string, field: string) => ({
      input: { ...versionInput(namespace, dataset), schema: [{ name: field, type: "string" }] },
    });
    const secret = (await call(admin, REGISTER_VERSION, withSchema("team-b", "secrets", "secret"))).data!.registerDatasetVersion
      .datasetVersion.id as string;
    const base = (await call(admin, REGISTER_VERSION, withSchema("team-a", "bases", "base"))).data!.registerDatasetVersion
      .datasetVersion.id as string;
    const mixed = (await call(admin, REGISTER_VERSION, withSchema("team-a", "mixed", "mix"))).data!.registerDatasetVersion
      .datasetVersion.id as string;
    const registered = await call(
      admin,
      `mutation($input: RegisterColumnLineageInput!) { registerColumnLineage(input: $input) { addedEdges } }`,
      {
        input: {
          datasetVersionId: mixed,
          runId: ids.runB,
          fields: [
            {
              field: "mix",
              inputs: [
                { datasetVersionId: secret, field: "secret" },
                { datasetVersionId: base, field: "base" },
              ],
            },
          ],
        },
      },
    );
    expect(registered.data).toEqual({ registerColumnLineage: { addedEdges: 2 } });
    const query = `query($id: ID!) { node(id: $id) { ... on DatasetVersion { fields { name inputFields { field { name } runId } } } } }`;
    const asAdmin = await call(admin, query, { id: mixed });
    expect(asAdmin.data!.node.fields[0].inputFields).toEqual(
      expect.arrayContaining([
        { field: { name: "secret" }, runId: ids.runB },
        { field: { name: "base" }, runId: ids.runB },
      ]),
    );
    const asViewer = await call(viewerA, query, { id: mixed });
    expect(asViewer.errors).toBeUndefined();
    expect(asViewer.data!.node.fields).toEqual([{ name: "mix", inputFields: [{ field: { name: "base" }, runId: null }] }]);
  });

  it("reads node ids only from ID arguments: free text that looks like an id is just text", async () => {
    const written = await call(
      editorA,
      `mutation($description: String!) { registerDataset(input: { namespace: "team-a", name: "notes", description: $description }) { created } }`,
      {
        description: ids.datasetB,
      },
    );
    expect(written.errors).toBeUndefined();
  });

  it("refuses, inside the transaction, a new edge from a node the caller cannot read", async () => {
    const scope = new AccessScope([{ role: "EDITOR", namespaceId: (await namespaceId("team-a")) as string }]);
    const meta = {
      actor: { name: "bypass" },
      requestId: randomUUID(),
      clientAddress: undefined,
      access: scope,
      operationRoles: ["EDITOR" as const],
    };
    const before = await app.countRows(WRITE_TABLES);
    const versionB = tryDecodeNodeId(ids.versionB)!.key;
    await expect(
      app.services.runs.start(meta, {
        job: { namespace: "team-a", name: "train" },
        externalId: null,
        parent: null,
        commit: null,
        hyperparameters: {},
        inputs: [{ id: versionB, shownAs: ids.versionB, role: "TRAIN" }],
        features: [],
        status: "RUNNING",
        startedAt: null,
        nominalTime: null,
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await app.countRows(WRITE_TABLES)).toEqual(before);
  });

  it("re-checks the token for every new subscription on an open connection", async () => {
    const viewer = await app.tokenFor("VIEWER", "team-a");
    const client = openLiveClient(app.url, { authorization: viewer.headers.authorization });
    try {
      const closed = new Promise<{ code: number; reason: string }>((resolve) => {
        client.on("closed", (event) => resolve(event as { code: number; reason: string }));
      });
      const first = client.iterate({ query: "subscription { driftAlerts { alertId } }" });
      const pending = first.next();
      await waitForSubscribers(app.services.events, DRIFT_ALERTS_TOPIC, 1);
      const { rows } = await app.db.pool.query<{ id: string }>("SELECT id::text FROM api_token WHERE user_id = $1::uuid", [
        viewer.userId,
      ]);
      await app.services.identity.revokeApiToken(systemMeta("test"), rows[0]!.id).catch(async () => {
        await app.db.pool.query("UPDATE api_token SET revoked_at = now() WHERE id = $1::uuid", [rows[0]!.id]);
      });
      client.subscribe(
        { query: "subscription { driftAlerts { message } }" },
        { next: () => {}, error: () => {}, complete: () => {} },
      );
      expect(await closed).toMatchObject({ code: 4401, reason: "UNAUTHENTICATED: REVOKED" });
      void pending.catch(() => undefined);
    } finally {
      await client.dispose();
    }
  });

  it("checks the namespace again inside the write's transaction, whatever path reached it", async () => {
    // A service called with A's editor scope but naming B (as a path that skipped the auth checker
    // would): the change recorder refuses it and the transaction writes nothing.
    const scope = new AccessScope([{ role: "EDITOR", namespaceId: (await namespaceId("team-a")) as string }]);
    const before = await app.countRows(WRITE_TABLES);
    const meta = {
      actor: { name: "bypass" },
      requestId: randomUUID(),
      clientAddress: undefined,
      access: scope,
      operationRoles: ["EDITOR" as const],
    };
    await expect(
      app.services.datasets.update(meta, tryDecodeNodeId(ids.datasetB)!.key, { description: "bypassed" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await app.countRows(WRITE_TABLES)).toEqual(before);
  });

  async function namespaceId(name: string) {
    const { rows } = await app.db.pool.query<{ id: string }>("SELECT id::text FROM namespace WHERE name = $1", [name]);
    return rows[0]?.id;
  }
});
