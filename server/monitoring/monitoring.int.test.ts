import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeNodeId } from "../graphql/node-id.js";
import { writeLinearModelArtifact } from "../model/model-artifact.fixtures.js";
import { PredictionLogRepository, type PredictionLogRow } from "../serving/prediction-log.repository.js";
import { emptyLatencyCounts, latencyBucketIndex } from "../serving/latency-histogram.js";
import { ServingStatsRepository, servingStatsBucketStart } from "../serving/serving-stats.repository.js";
import { type TestApp, startTestApp } from "../testing/test-app.js";
import { buildColumnBaselines } from "./drift/index.js";

const NS = "monitoring";
const META = { actor: { name: "test" }, requestId: "monitoring-test", clientAddress: undefined };
const keyOf = (id: string) => Buffer.from(id, "base64url").toString("utf8").split(":")[1]!;

/** Seeded standard normals (Box–Muller over a 32-bit LCG): the same data every run. */
function normals(count: number, seed: number): number[] {
  let state = seed >>> 0;
  const uniform = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 0.5) / 2 ** 32;
  };
  const values: number[] = [];
  while (values.length < count) {
    const r = Math.sqrt(-2 * Math.log(uniform()));
    const theta = 2 * Math.PI * uniform();
    values.push(r * Math.cos(theta), r * Math.sin(theta));
  }
  return values.slice(0, count);
}

const labelOf = (x0: number) => (x0 > 0 ? "1" : "0");

const JOB = `query($id: ID!) { queueJob(id: $id) { id status result error } }`;
const RUN_MONITORING = `mutation($input: RunMonitoringInput!) { runMonitoring(input: $input) { id queue name status } }`;
const REPORTS = `query($id: ID!) {
  driftReports(deploymentId: $id, first: 10) {
    totalCount
    edges { node {
      id sampleCount driftedFeatures dataDriftThreshold skipped windowStart windowEnd
      modelVersion { id } deployment { name }
      features { feature kind drifted thresholdsExceeded psi kl jsDistance wasserstein ksStatistic ksPValue
                 histogram { edges baseline current } }
      prediction { feature kind drifted psi chiSquare chiSquarePValue histogram { categories baseline current } }
      performance { task labeled accuracy precision recall rocAuc baselineAccuracy }
    } }
  }
}`;
const ALERTS = `query($filter: AlertFilterInput) {
  alerts(filter: $filter, first: 50) {
    totalCount
    edges { node {
      id kind status severity message ruleName driftingFeatures observed threshold raisedAt acknowledgedAt resolvedAt
      deployment { id name }
      modelVersions { id }
      upstreamDatasetVersions { role datasetVersion { id } }
      upstreamFeatures { id name }
      upstreamRunIds
      affectedDeployments { id name }
      driftReport { id driftedFeatures }
    } }
  }
}`;
const RULES = `query($name: String!) {
  deployment(namespace: "${NS}", name: $name) { alertRules { name kind threshold enabled builtIn updatedAt } }
}`;
const UPDATE_RULE = `mutation($input: UpdateAlertRuleInput!) {
  updateAlertRule(input: $input) { name kind threshold enabled builtIn updatedAt }
}`;
const REPORTS_SERVING = `query($id: ID!) {
  driftReports(deploymentId: $id, first: 1) { edges { node { id sampleCount serving { requests errors errorRate p50Ms p99Ms } } } }
}`;
const GROUND_TRUTH = `mutation($input: RecordGroundTruthInput!) { recordGroundTruth(input: $input) { recorded updated } }`;

describe("monitoring: drift reports, alert rules, alerts and ground truth", () => {
  let app: TestApp;
  let log: PredictionLogRepository;
  let modelVersionId: string;
  let datasetVersionId: string;
  let featureId: string;
  let artifactDir: string;
  const windowStart = new Date(Date.now() - 30 * 60_000);
  const windowEnd = new Date(Date.now() - 60_000);

  async function gql(query: string, variables?: Record<string, unknown>) {
    const result = await app.graphql(query, variables);
    return result;
  }

  async function ok(query: string, variables?: Record<string, unknown>) {
    const result = await gql(query, variables);
    expect(result.errors).toBeUndefined();
    return result.data!;
  }

  async function createDeployment(name: string): Promise<string> {
    const data = await ok(`mutation($input: CreateDeploymentInput!) { createDeployment(input: $input) { deployment { id } } }`, {
      input: { namespace: NS, name, environment: "production", trafficSplit: [{ modelVersionId, percent: 100 }] },
    });
    return data.createDeployment.deployment.id as string;
  }

  /** Logs `count` predictions in the window; x1 is shifted by `shift`. Returns the rows. */
  async function logPredictions(deploymentId: string, count: number, seed: number, shift = 0): Promise<PredictionLogRow[]> {
    const x0 = normals(count, seed);
    const x1 = normals(count, seed + 1);
    const span = windowEnd.getTime() - windowStart.getTime();
    const rows: PredictionLogRow[] = x0.map((value, i) => ({
      id: randomUUID(),
      deploymentId: keyOf(deploymentId),
      modelVersionId: keyOf(modelVersionId),
      requestedAt: new Date(windowStart.getTime() + Math.floor(((i + 0.5) / count) * span)),
      inputs: { x0: value, x1: x1[i]! + shift },
      outputs: { label: labelOf(value), probabilities: value > 0 ? [0.2, 0.8] : [0.8, 0.2] },
      latencyMs: 3,
      error: null,
    }));
    await log.append(rows);
    return rows;
  }

  async function runMonitoring(deploymentId: string): Promise<Record<string, any>> {
    const data = await ok(RUN_MONITORING, {
      input: { deploymentId, from: windowStart.toISOString(), to: windowEnd.toISOString() },
    });
    expect(data.runMonitoring).toMatchObject({ queue: "monitoring", name: "monitor-deployment" });
    const deadline = Date.now() + 60_000;
    for (;;) {
      const job = (await ok(JOB, { id: data.runMonitoring.id })).queueJob;
      if (job.status === "COMPLETED") return job.result as Record<string, any>;
      if (job.status === "FAILED") throw new Error(`monitoring job failed: ${job.error}`);
      if (Date.now() > deadline) throw new Error(`monitoring job still ${job.status}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function alertsOf(deploymentId: string) {
    return (await ok(ALERTS, { filter: { deploymentId } })).alerts;
  }

  beforeAll(async () => {
    app = await startTestApp({ config: { inProcessWorkers: true } });
    log = new PredictionLogRepository(app.db);
    const version = await ok(
      `mutation($input: RegisterDatasetVersionInput!) { registerDatasetVersion(input: $input) { datasetVersion { id } } }`,
      {
        input: {
          namespace: NS,
          dataset: "loans",
          uri: "s3://data/loans/v1.parquet",
          format: "PARQUET",
          digest: `sha256:${"1".repeat(64)}`,
        },
      },
    );
    datasetVersionId = version.registerDatasetVersion.datasetVersion.id;
    const set = await ok(
      `mutation($input: RegisterFeatureSetInput!) { registerFeatureSet(input: $input) { featureSet { id } } }`,
      { input: { namespace: NS, name: "applicant", entityKeys: ["applicant_id"] } },
    );
    const feature = await ok(`mutation($input: RegisterFeatureInput!) { registerFeature(input: $input) { feature { id } } }`, {
      input: {
        featureSetId: set.registerFeatureSet.featureSet.id,
        name: "x1",
        dtype: "float",
        sourceDatasetVersionIds: [datasetVersionId],
      },
    });
    featureId = feature.registerFeature.feature.id;
    const run = await ok(`mutation($input: StartRunInput!) { startRun(input: $input) { run { id } } }`, {
      input: { namespace: NS, job: "train-loans", inputs: [{ datasetVersionId, role: "TRAIN" }], featureIds: [featureId] },
    });
    // Deployments serve READY versions only: a real ONNX file (the monitoring job never loads it).
    artifactDir = await mkdtemp(join(tmpdir(), "pedigree-monitoring-"));
    const artifact = await writeLinearModelArtifact(artifactDir, [1, 0], 0);
    const model = await ok(
      `mutation($input: RegisterModelVersionInput!) { registerModelVersion(input: $input) { modelVersion { id } } }`,
      {
        input: {
          namespace: NS,
          model: "loans",
          artifactUri: artifact.uri,
          artifactSha256: artifact.sha256,
          signature: { task: "classification", classes: ["0", "1"], featureNames: ["x0", "x1"] },
          metrics: { accuracy: 0.95, precision: 0.94, recall: 0.96, rocAuc: 0.97 },
          sourceRunId: run.startRun.run.id,
        },
      },
    );
    modelVersionId = model.registerModelVersion.modelVersion.id;
    const x0 = normals(2_000, 11);
    const baselineStats = buildColumnBaselines({
      x0: { kind: "numeric", values: x0 },
      x1: { kind: "numeric", values: normals(2_000, 12) },
      prediction: { kind: "categorical", values: x0.map(labelOf) },
    });
    await app.services.training.recordBaseline(META, keyOf(modelVersionId), { baselineStats });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    if (artifactDir) await rm(artifactDir, { recursive: true, force: true });
  });

  it("has the default rules from day one, without any stored row", async () => {
    await createDeployment("defaults");
    const rules = (await ok(RULES, { name: "defaults" })).deployment.alertRules;
    expect(rules).toEqual([
      { name: "p99-latency", kind: "LATENCY", threshold: 200, enabled: true, builtIn: true, updatedAt: null },
      { name: "error-rate", kind: "ERROR_RATE", threshold: 0.01, enabled: true, builtIn: true, updatedAt: null },
      { name: "data-drift", kind: "DATA_DRIFT", threshold: 0.2, enabled: true, builtIn: true, updatedAt: null },
      { name: "prediction-drift", kind: "PREDICTION_DRIFT", threshold: 0.2, enabled: true, builtIn: true, updatedAt: null },
      { name: "accuracy-drop", kind: "ACCURACY", threshold: 0.05, enabled: true, builtIn: true, updatedAt: null },
    ]);
    expect((await app.countRows(["alert_rule"])).alert_rule).toBe(0);
  });

  it("writes a report without drift (and raises nothing) when the window looks like training", async () => {
    const deploymentId = await createDeployment("stable");
    await logPredictions(deploymentId, 600, 101);
    const result = await runMonitoring(deploymentId);
    expect(result.alertsRaised).toEqual([]);
    const reports = (await ok(REPORTS, { id: deploymentId })).driftReports;
    expect(reports.totalCount).toBe(1);
    const report = reports.edges[0].node;
    expect(report).toMatchObject({ sampleCount: 600, driftedFeatures: [], dataDriftThreshold: 0.2, skipped: null });
    expect(report.modelVersion.id).toBe(modelVersionId);
    expect(report.features.map((f: { feature: string }) => f.feature)).toEqual(["x0", "x1"]);
    for (const feature of report.features) {
      expect(feature.psi).toBeLessThan(0.1);
      expect(feature.ksPValue).toBeGreaterThan(0.01);
      // Histograms for the explorer: baseline and current on the same bins.
      expect(feature.histogram.baseline).toHaveLength(feature.histogram.edges.length + 1);
      expect(feature.histogram.current.reduce((a: number, b: number) => a + b, 0)).toBe(600);
    }
    expect(report.prediction).toMatchObject({ feature: "prediction", kind: "categorical", drifted: false });
    expect(report.prediction.histogram.categories.sort()).toEqual(["0", "1"]);
    expect((await alertsOf(deploymentId)).totalCount).toBe(0);
  });

  it("raises one data-drift alert that names the feature and links lineage, and not twice", async () => {
    const deploymentId = await createDeployment("shifted");
    await createDeployment("sibling");
    await logPredictions(deploymentId, 600, 202, 2.5);
    const first = await runMonitoring(deploymentId);
    expect(first.alertsRaised).toHaveLength(1);
    expect(first.reports[0].driftedFeatures).toEqual(["x1"]);

    const alerts = await alertsOf(deploymentId);
    expect(alerts.totalCount).toBe(1);
    const alert = alerts.edges[0].node;
    expect(alert).toMatchObject({
      kind: "DATA_DRIFT",
      status: "OPEN",
      ruleName: "data-drift",
      driftingFeatures: ["x1"],
      threshold: 0.2,
      severity: "critical",
      deployment: { id: deploymentId, name: "shifted" },
      modelVersions: [{ id: modelVersionId }],
      upstreamDatasetVersions: [{ role: "TRAIN", datasetVersion: { id: datasetVersionId } }],
      upstreamFeatures: [{ id: featureId, name: "x1" }],
      driftReport: { driftedFeatures: ["x1"] },
    });
    expect(alert.message).toContain("x1");
    expect(alert.observed).toBeGreaterThan(1);
    expect(alert.upstreamRunIds).toHaveLength(1);
    // Every deployment serving the drifting model version is affected (this one and the others).
    expect(alert.affectedDeployments.map((d: { name: string }) => d.name)).toContain("shifted");
    expect(alert.affectedDeployments.map((d: { name: string }) => d.name)).toContain("sibling");

    // The rule was stored when it first raised; the raise is audited.
    const { rows: audits } = await app.db.pool.query(
      `SELECT after FROM audit_event WHERE action = 'alert.raised' AND target_id = $1`,
      [keyOf(deploymentId)],
    );
    expect(audits).toHaveLength(1);
    expect(audits[0].after).toMatchObject({ rule: "data-drift", driftingFeatures: ["x1"] });

    const second = await runMonitoring(deploymentId);
    expect(second.alertsRaised).toEqual([]);
    expect(second.alreadyOpen).toEqual([keyOf(alert.id)]);
    expect((await alertsOf(deploymentId)).totalCount).toBe(1);
    expect((await ok(REPORTS, { id: deploymentId })).driftReports.totalCount).toBe(2);

    // Acknowledged still blocks a new alert; resolved lets the rule raise again.
    const acknowledged = await ok(`mutation($id: ID!) { acknowledgeAlert(id: $id) { status acknowledgedAt } }`, { id: alert.id });
    expect(acknowledged.acknowledgeAlert.status).toBe("ACKNOWLEDGED");
    expect((await runMonitoring(deploymentId)).alertsRaised).toEqual([]);
    const resolved = await ok(`mutation($id: ID!) { resolveAlert(id: $id) { status resolvedAt } }`, { id: alert.id });
    expect(resolved.resolveAlert.status).toBe("RESOLVED");
    const conflict = await gql(`mutation($id: ID!) { acknowledgeAlert(id: $id) { status } }`, { id: alert.id });
    expect(conflict.errors?.[0]?.extensions?.code).toBe("CONFLICT");
    const { rows: statusAudits } = await app.db.pool.query(
      `SELECT action FROM audit_event WHERE action IN ('alert.acknowledged', 'alert.resolved') AND target_id = $1 ORDER BY id`,
      [keyOf(deploymentId)],
    );
    expect(statusAudits.map((row) => row.action)).toEqual(["alert.acknowledged", "alert.resolved"]);
    expect((await runMonitoring(deploymentId)).alertsRaised).toHaveLength(1);
    const open = await ok(ALERTS, { filter: { deploymentId, statuses: ["OPEN"], kinds: ["DATA_DRIFT"] } });
    expect(open.alerts.totalCount).toBe(1);
  });

  it("applies rule edits: a raised threshold or a disabled rule raises nothing", async () => {
    const deploymentId = await createDeployment("edited");
    await logPredictions(deploymentId, 600, 303, 2.5);
    const raised = await ok(UPDATE_RULE, { input: { deploymentId, kind: "DATA_DRIFT", threshold: 50 } });
    expect(raised.updateAlertRule).toMatchObject({ name: "data-drift", threshold: 50, enabled: true, builtIn: true });
    const rules = (await ok(RULES, { name: "edited" })).deployment.alertRules;
    expect(rules.find((rule: { name: string }) => rule.name === "data-drift")).toMatchObject({ threshold: 50 });
    expect(rules.find((rule: { name: string }) => rule.name === "data-drift").updatedAt).not.toBeNull();
    expect((await runMonitoring(deploymentId)).alertsRaised).toEqual([]);

    // An added rule of the same kind with its own threshold fires on its own.
    await ok(UPDATE_RULE, { input: { deploymentId, kind: "DATA_DRIFT", name: "x-drift-strict", threshold: 0.5 } });
    const result = await runMonitoring(deploymentId);
    expect(result.alertsRaised).toHaveLength(1);
    expect((await alertsOf(deploymentId)).edges[0].node).toMatchObject({ ruleName: "x-drift-strict", driftingFeatures: ["x1"] });

    await ok(UPDATE_RULE, { input: { deploymentId, kind: "DATA_DRIFT", name: "x-drift-strict", enabled: false } });
    const { rows } = await app.db.pool.query(
      `SELECT action, before, after FROM audit_event WHERE action LIKE 'alert_rule.%' AND target_id = $1 ORDER BY id`,
      [keyOf(deploymentId)],
    );
    expect(rows.map((row) => row.action)).toEqual(["alert_rule.updated", "alert_rule.added", "alert_rule.updated"]);
    expect(rows[0].before).toMatchObject({ name: "data-drift", threshold: 0.2 });
    expect(rows[0].after).toMatchObject({ name: "data-drift", threshold: 50 });
    expect(rows[2].after).toMatchObject({ name: "x-drift-strict", enabled: false });
  });

  it("scores ground truth against the validation baseline and raises an accuracy alert", async () => {
    const deploymentId = await createDeployment("labeled");
    const rows = await logPredictions(deploymentId, 100, 404);
    // Half the outcomes disagree with the prediction: accuracy 0.5 against a 0.95 baseline.
    const entries = rows.map((row, i) => {
      const predicted = (row.outputs as { label: string }).label;
      return { predictionId: row.id, label: i % 2 === 0 ? predicted : predicted === "1" ? "0" : "1" };
    });
    const recorded = await ok(GROUND_TRUTH, { input: { entries } });
    expect(recorded.recordGroundTruth).toEqual({ recorded: 100, updated: 0 });
    const again = await ok(GROUND_TRUTH, { input: { entries: entries.slice(0, 3) } });
    expect(again.recordGroundTruth).toEqual({ recorded: 3, updated: 3 });

    const result = await runMonitoring(deploymentId);
    expect(result.alertsRaised).toHaveLength(1);
    const report = (await ok(REPORTS, { id: deploymentId })).driftReports.edges[0].node;
    expect(report.performance).toMatchObject({ task: "classification", labeled: 100, accuracy: 0.5, baselineAccuracy: 0.95 });
    expect(report.performance.rocAuc).toBeGreaterThanOrEqual(0);
    const alert = (await alertsOf(deploymentId)).edges[0].node;
    expect(alert).toMatchObject({ kind: "ACCURACY", ruleName: "accuracy-drop", threshold: 0.05, driftingFeatures: [] });
    expect(alert.observed).toBeCloseTo((0.95 - 0.5) / 0.95, 10);
  });

  it("raises LATENCY and ERROR_RATE alerts from the serving stats the serving process persisted", async () => {
    const slow = await createDeployment("slow-and-failing");
    const healthy = await createDeployment("healthy-serving");
    const bucketStart = servingStatsBucketStart(windowStart.getTime() + 5 * 60_000);
    /** One stored bucket: `fast` requests at 5 ms and `slowCount` at `slowMs`, `errors` of them failed. */
    const bucket = (deploymentId: string, fast: number, slowCount: number, slowMs: number, errors: number) => {
      const latencyCounts = emptyLatencyCounts();
      latencyCounts[latencyBucketIndex(5)]! += fast;
      latencyCounts[latencyBucketIndex(slowMs)]! += slowCount;
      return {
        deploymentId: keyOf(deploymentId),
        modelVersionId: keyOf(modelVersionId),
        bucketStart,
        requests: fast + slowCount,
        errors,
        latencySumMs: fast * 5 + slowCount * slowMs,
        latencyCounts,
      };
    };
    // slow: 10 % of requests at 300 ms (p99 ≈ 300 ms > 200 ms), 50 errors in 1000 (5 % > 1 %).
    // healthy: p99 5 ms, 5 errors in 1000 (0.5 %): under both limits.
    await new ServingStatsRepository(app.db).add([bucket(slow, 900, 100, 300, 50), bucket(healthy, 1000, 0, 0, 5)]);
    // Outside the window: must not count.
    await new ServingStatsRepository(app.db).add([
      { ...bucket(healthy, 0, 1000, 900, 1000), bucketStart: servingStatsBucketStart(windowEnd.getTime() + 60_000) },
    ]);

    // Predictions that look like training: only the serving rules can fire.
    await logPredictions(slow, 200, 707);
    await logPredictions(healthy, 200, 708);

    expect((await runMonitoring(healthy)).alertsRaised).toEqual([]);
    const healthyReport = (await ok(REPORTS_SERVING, { id: healthy })).driftReports.edges[0].node;
    expect(healthyReport.serving).toMatchObject({ requests: 1000, errors: 5, errorRate: 0.005 });
    expect(healthyReport.serving.p99Ms).toBeLessThan(10);

    const result = await runMonitoring(slow);
    expect(result.alertsRaised).toHaveLength(2);
    const report = (await ok(REPORTS_SERVING, { id: slow })).driftReports.edges[0].node;
    expect(report.sampleCount).toBe(200);
    expect(report.serving).toMatchObject({ requests: 1000, errors: 50, errorRate: 0.05 });
    expect(report.serving.p99Ms).toBeGreaterThan(200);
    expect(report.serving.p99Ms).toBeLessThanOrEqual(300 * 1.2);

    const alerts = (await alertsOf(slow)).edges.map((edge: { node: Record<string, any> }) => edge.node);
    const latency = alerts.find((alert: { kind: string }) => alert.kind === "LATENCY");
    const errorRate = alerts.find((alert: { kind: string }) => alert.kind === "ERROR_RATE");
    expect(latency).toMatchObject({
      status: "OPEN",
      ruleName: "p99-latency",
      threshold: 200,
      severity: "warning",
      driftingFeatures: [],
      modelVersions: [{ id: modelVersionId }],
      driftReport: { id: report.id },
    });
    expect(latency.observed).toBe(report.serving.p99Ms);
    expect(latency.message).toMatch(/^p99 latency .* ms > 200 ms/);
    expect(errorRate).toMatchObject({
      status: "OPEN",
      ruleName: "error-rate",
      threshold: 0.01,
      observed: 0.05,
      severity: "critical",
      driftingFeatures: [],
      upstreamDatasetVersions: [{ role: "TRAIN", datasetVersion: { id: datasetVersionId } }],
    });
    expect(errorRate.message).toContain("Error rate 5 % > 1 %");
    // Still firing, already open: nothing new.
    expect((await runMonitoring(slow)).alertsRaised).toEqual([]);
  });

  it("fetches alerts and drift reports by global id through node(id) and nodes(ids)", async () => {
    const deploymentId = await createDeployment("by-node-id");
    await logPredictions(deploymentId, 300, 606, 2.5);
    const result = await runMonitoring(deploymentId);
    expect(result.alertsRaised).toHaveLength(1);
    const alert = (await alertsOf(deploymentId)).edges[0].node;
    const reportId = alert.driftReport.id as string;
    expect(keyOf(reportId)).toBe(result.reports[0].driftReportId);

    const NODE = `query($id: ID!) { node(id: $id) {
      __typename id
      ... on Alert { kind status ruleName driftingFeatures deployment { id } driftReport { id } }
      ... on DriftReport { sampleCount driftedFeatures deployment { id } modelVersion { id } }
    } }`;
    expect((await ok(NODE, { id: alert.id })).node).toEqual({
      __typename: "Alert",
      id: alert.id,
      kind: "DATA_DRIFT",
      status: "OPEN",
      ruleName: "data-drift",
      driftingFeatures: ["x1"],
      deployment: { id: deploymentId },
      driftReport: { id: reportId },
    });
    expect((await ok(NODE, { id: reportId })).node).toEqual({
      __typename: "DriftReport",
      id: reportId,
      sampleCount: 300,
      driftedFeatures: ["x1"],
      deployment: { id: deploymentId },
      modelVersion: { id: modelVersionId },
    });
    const unknownAlert = encodeNodeId("Alert", "00000000-0000-4000-8000-00000000a1e7");
    const unknownReport = encodeNodeId("DriftReport", "00000000-0000-4000-8000-00000000d7e9");
    const many = await ok(`query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`, {
      ids: [reportId, unknownAlert, alert.id, unknownReport],
    });
    expect(many.nodes).toEqual([{ __typename: "DriftReport", id: reportId }, null, { __typename: "Alert", id: alert.id }, null]);
    expect((await ok(NODE, { id: unknownAlert })).node).toBeNull();

    // Ids of the wrong kind and malformed ids are refused with the usual typed errors.
    const wrongKind = await gql(`mutation($id: ID!) { resolveAlert(id: $id) { status } }`, { id: reportId });
    expect(wrongKind.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "id" });
    const wrongDeployment = await gql(REPORTS, { id: alert.id });
    expect(wrongDeployment.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "deploymentId" });
    const malformed = await gql(NODE, { id: "QWxlcnQ6bm90LWEtdXVpZA" });
    expect(malformed.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "id" });
    const rule = await gql(NODE, { id: encodeNodeId("AlertRule", "00000000-0000-4000-8000-0000000000e1") });
    expect(rule.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "id" });
    expect(rule.errors?.[0]?.message).toContain("alertRules");
  });

  describe("bad input is refused with a typed error and writes nothing", () => {
    const TABLES = ["alert_rule", "alert", "drift_report", "ground_truth", "job_record", "audit_event"];

    async function expectRefused(query: string, variables: Record<string, unknown>, code: string, field?: string) {
      const before = await app.countRows(TABLES);
      const result = await gql(query, variables);
      expect(result.errors?.[0]?.extensions?.code).toBe(code);
      if (field) expect(result.errors?.[0]?.extensions?.field).toBe(field);
      expect(result.errors?.[0]?.message).not.toMatch(/prisma|SELECT|at .*\.ts/i);
      expect(await app.countRows(TABLES)).toEqual(before);
      return result.errors![0]!;
    }

    const unknownDeployment = encodeNodeId("Deployment", "00000000-0000-4000-8000-000000000001");

    it("unknown deployments", async () => {
      await expectRefused(RUN_MONITORING, { input: { deploymentId: unknownDeployment } }, "NOT_FOUND", "input.deploymentId");
      await expectRefused(
        UPDATE_RULE,
        { input: { deploymentId: unknownDeployment, kind: "LATENCY", threshold: 100 } },
        "NOT_FOUND",
        "input.deploymentId",
      );
      await expectRefused(RUN_MONITORING, { input: { deploymentId: "nonsense" } }, "BAD_USER_INPUT", "input.deploymentId");
    });

    it("thresholds out of range, wrong kinds and empty windows", async () => {
      const deploymentId = await createDeployment("refusals");
      await expectRefused(
        UPDATE_RULE,
        { input: { deploymentId, kind: "LATENCY", threshold: -1 } },
        "BAD_USER_INPUT",
        "input.threshold",
      );
      await expectRefused(
        UPDATE_RULE,
        { input: { deploymentId, kind: "ERROR_RATE", threshold: 1.5 } },
        "BAD_USER_INPUT",
        "input.threshold",
      );
      await expectRefused(
        UPDATE_RULE,
        { input: { deploymentId, kind: "ACCURACY", threshold: 0 } },
        "BAD_USER_INPUT",
        "input.threshold",
      );
      await expectRefused(
        UPDATE_RULE,
        { input: { deploymentId, kind: "LATENCY", name: "data-drift", threshold: 1 } },
        "BAD_USER_INPUT",
        "input.kind",
      );
      await expectRefused(
        UPDATE_RULE,
        { input: { deploymentId, kind: "LATENCY", name: "Bad Name!", threshold: 1 } },
        "BAD_USER_INPUT",
        "input.name",
      );
      await expectRefused(
        UPDATE_RULE,
        { input: { deploymentId, kind: "LATENCY", name: "new-rule" } },
        "BAD_USER_INPUT",
        "input.threshold",
      );
      await expectRefused(
        RUN_MONITORING,
        { input: { deploymentId, from: windowEnd.toISOString(), to: windowStart.toISOString() } },
        "BAD_USER_INPUT",
        "input.from",
      );
      await expectRefused(
        `mutation($id: ID!) { resolveAlert(id: $id) { status } }`,
        { id: Buffer.from("Alert:00000000-0000-4000-8000-000000000009").toString("base64url") },
        "NOT_FOUND",
      );
      await expectRefused(
        `mutation($id: ID!) { resolveAlert(id: $id) { status } }`,
        { id: unknownDeployment },
        "BAD_USER_INPUT",
        "id",
      );
    });

    it("unknown prediction ids and outcomes that do not fit the model", async () => {
      const deploymentId = await createDeployment("refused-truth");
      const [row] = await logPredictions(deploymentId, 1, 505);
      const unknown = "00000000-0000-4000-8000-0000000000aa";
      const error = await expectRefused(
        GROUND_TRUTH,
        {
          input: {
            entries: [
              { predictionId: row!.id, label: "1" },
              { predictionId: unknown, label: "0" },
            ],
          },
        },
        "NOT_FOUND",
        "input.entries[1].predictionId",
      );
      expect(error.message).toContain(unknown);
      await expectRefused(
        GROUND_TRUTH,
        { input: { entries: [{ predictionId: row!.id, label: "7" }] } },
        "BAD_USER_INPUT",
        "input.entries[0].label",
      );
      await expectRefused(
        GROUND_TRUTH,
        { input: { entries: [{ predictionId: row!.id, value: 1.5 }] } },
        "BAD_USER_INPUT",
        "input.entries[0].label",
      );
      await expectRefused(
        GROUND_TRUTH,
        { input: { entries: [{ predictionId: row!.id, label: "1", value: 1 }] } },
        "BAD_USER_INPUT",
        "input.entries[0]",
      );
      await expectRefused(
        GROUND_TRUTH,
        { input: { entries: [{ predictionId: "p-1", label: "1" }] } },
        "BAD_USER_INPUT",
        "input.entries[0].predictionId",
      );
    });
  });
});
