import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import canonicalize from "canonicalize";
import { PDFParse } from "pdf-parse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemMeta } from "../identity/identity.service.js";
import { writeLinearModelArtifact } from "../model/model-artifact.fixtures.js";
import { emptyLatencyCounts, latencyBucketIndex } from "../serving/latency-histogram.js";
import { ServingStatsRepository, servingStatsBucketStart } from "../serving/serving-stats.repository.js";
import { type TestApp, startTestApp } from "../testing/test-app.js";
import { type ComplianceReport, complianceReportDigest } from "./compliance-report.js";
import { renderComplianceReportPdf } from "./compliance-report-pdf.js";

const NS = "compliance";
const REPORT = `query($modelVersionId: ID, $deploymentId: ID) {
  modelComplianceReport(modelVersionId: $modelVersionId, deploymentId: $deploymentId)
}`;
const keyOf = (id: string) => Buffer.from(id, "base64url").toString("utf8").split(":")[1]!;
const nodeId = (kind: string, key: string) => Buffer.from(`${kind}:${key}`).toString("base64url");
const UNKNOWN = "00000000-0000-4000-8000-0000000000aa";
const TRAIN_DIGEST = `sha256:${"a1".repeat(32)}`;
const HOLDOUT_DIGEST = `sha256:${"b2".repeat(32)}`;
const COMMIT_SHA = "5e1f0c3a9b7d2e4f6a8c0b1d3e5f7a9c2b4d6e8f";
const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

/** What the test recorded, to compare the report against. */
interface History {
  trainVersionId: string;
  holdoutVersionId: string;
  commitId: string;
  featureId: string;
  runs: { v1: string; v2: string };
  versions: { v1: string; v2: string };
  artifacts: { v1: { uri: string; sha256: string }; v2: { uri: string; sha256: string } };
  deploymentId: string;
  alertId: string;
}

describe("model compliance report", () => {
  let app: TestApp;
  let dir: string;
  let tokens: { engineer: string; release: string; oncall: string; auditor: string };
  let history: History;

  async function as(token: string, query: string, variables?: Record<string, unknown>) {
    const result = await app.graphql(query, variables, bearer(token));
    expect(result.errors).toBeUndefined();
    return result.data!;
  }

  async function report(variables: Record<string, unknown>): Promise<ComplianceReport> {
    const data = await as(tokens.auditor, REPORT, variables);
    return data.modelComplianceReport as ComplianceReport;
  }

  /** A training run at the commit on both dataset versions, with a loss curve; returns its id. */
  async function trainingRun(
    externalId: string,
    lr: number,
    history: Pick<History, "trainVersionId" | "holdoutVersionId" | "commitId" | "featureId">,
  ) {
    const started = await as(tokens.engineer, `mutation($input: StartRunInput!) { startRun(input: $input) { run { id } } }`, {
      input: {
        namespace: NS,
        job: "train-fraud",
        jobType: "training",
        externalId,
        commitId: history.commitId,
        hyperparameters: { model: "linear_regression", lr, epochs: 3 },
        inputs: [
          { datasetVersionId: history.trainVersionId, role: "TRAIN" },
          { datasetVersionId: history.holdoutVersionId, role: "VALIDATION" },
        ],
        featureIds: [history.featureId],
      },
    });
    const runId = started.startRun.run.id as string;
    const losses = [0.9, 0.5, 0.3];
    const valLosses = [1.0, 0.6, 0.45];
    await as(tokens.engineer, `mutation($input: LogMetricsInput!) { logMetrics(input: $input) { accepted } }`, {
      input: {
        runId,
        points: losses.flatMap((loss, step) => [
          { key: "loss", value: loss, step },
          { key: "val_loss", value: valLosses[step], step },
        ]),
      },
    });
    await as(tokens.engineer, `mutation($input: UpdateRunInput!) { updateRun(input: $input) { id } }`, {
      input: { id: runId, status: "COMPLETED" },
    });
    return runId;
  }

  async function registerVersion(runId: string, weights: number[], metrics: Record<string, number>) {
    const artifact = await writeLinearModelArtifact(dir, weights, 0.5);
    const data = await as(
      tokens.engineer,
      `mutation($input: RegisterModelVersionInput!) { registerModelVersion(input: $input) { modelVersion { id status } } }`,
      {
        input: {
          namespace: NS,
          model: "fraud-scorer",
          artifactUri: artifact.uri,
          artifactSha256: artifact.sha256,
          signature: artifact.signature,
          sourceRunId: runId,
          metrics,
        },
      },
    );
    expect(data.registerModelVersion.modelVersion.status).toBe("READY");
    return { id: data.registerModelVersion.modelVersion.id as string, uri: artifact.uri, sha256: artifact.sha256 };
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "pedigree-compliance-"));
    // Rollouts queue their health checks: the in-process workers take them.
    app = await startTestApp({ config: { inProcessWorkers: true } });
    const issue = async (email: string) =>
      (await app.services.identity.issueAdminToken(systemMeta("test"), { email, name: "compliance test" })).issued.secret;
    tokens = {
      engineer: await issue("engineer@example.com"),
      release: await issue("release@example.com"),
      oncall: await issue("oncall@example.com"),
      auditor: await issue("auditor@example.com"),
    };

    const datasetVersion = async (dataset: string, digest: string, rowCount: number) =>
      (
        await as(
          tokens.engineer,
          `mutation($input: RegisterDatasetVersionInput!) { registerDatasetVersion(input: $input) { datasetVersion { id } } }`,
          {
            input: {
              namespace: NS,
              dataset,
              uri: `s3://lake/${dataset}/2026-11-01`,
              format: "PARQUET",
              digest,
              rowCount,
              schema: [
                { name: "x0", type: "float64" },
                { name: "x1", type: "float64" },
                { name: "y", type: "float64" },
              ],
            },
          },
        )
      ).registerDatasetVersion.datasetVersion.id as string;
    const trainVersionId = await datasetVersion("transactions/train", TRAIN_DIGEST, 120_000);
    const holdoutVersionId = await datasetVersion("transactions/holdout", HOLDOUT_DIGEST, 30_000);
    const commitId = (
      await as(
        tokens.engineer,
        `mutation($input: RegisterCodeCommitInput!) { registerCodeCommit(input: $input) { codeCommit { id } } }`,
        {
          input: {
            namespace: NS,
            repository: "github.com/acme/fraud-model",
            sha: COMMIT_SHA,
            branch: "main",
            author: "dana@acme.io",
            message: "Linear baseline",
          },
        },
      )
    ).registerCodeCommit.codeCommit.id as string;
    const featureSetId = (
      await as(
        tokens.engineer,
        `mutation($input: RegisterFeatureSetInput!) { registerFeatureSet(input: $input) { featureSet { id } } }`,
        {
          input: { namespace: NS, name: "transaction_stats", entityKeys: ["account_id"] },
        },
      )
    ).registerFeatureSet.featureSet.id as string;
    const featureId = (
      await as(tokens.engineer, `mutation($input: RegisterFeatureInput!) { registerFeature(input: $input) { feature { id } } }`, {
        input: {
          featureSetId,
          name: "amount_zscore",
          dtype: "float64",
          transformationRef: "github.com/acme/features#amount_zscore",
          sourceDatasetVersionIds: [trainVersionId],
        },
      })
    ).registerFeature.feature.id as string;
    const upstream = { trainVersionId, holdoutVersionId, commitId, featureId };
    const runs = { v1: await trainingRun("fraud-run-1", 0.05, upstream), v2: await trainingRun("fraud-run-2", 0.01, upstream) };
    const v1 = await registerVersion(runs.v1, [0.4, 1.2], {
      val_rmse: 0.42,
      "featureImportance.x0": 0.05,
      "featureImportance.x1": 0.31,
    });
    const v2 = await registerVersion(runs.v2, [0.5, 1.1], {
      val_rmse: 0.37,
      "featureImportance.x0": 0.07,
      "featureImportance.x1": 0.29,
    });
    const alias = `mutation($input: SetModelAliasInput!) { setModelAlias(input: $input) { __typename } }`;
    await as(tokens.release, alias, { input: { modelVersionId: v1.id, alias: "champion" } });

    const deploymentId = (
      await as(
        tokens.release,
        `mutation($input: CreateDeploymentInput!) { createDeployment(input: $input) { deployment { id } } }`,
        {
          input: {
            namespace: NS,
            name: "fraud-prod",
            environment: "production",
            trafficSplit: [{ modelVersionId: v1.id, percent: 100 }],
            reason: "First release",
          },
        },
      )
    ).createDeployment.deployment.id as string;
    await as(tokens.release, `mutation($input: StartRolloutInput!) { rollout(input: $input) { rollout { id } } }`, {
      input: { deploymentId, modelVersionId: v2.id, canaryPercent: 20, reason: "Canary v2" },
    });
    await as(tokens.release, `mutation($input: PromoteRolloutInput!) { promote(input: $input) { rollout { state } } }`, {
      input: { deploymentId, reason: "Canary healthy" },
    });
    await as(tokens.release, alias, { input: { modelVersionId: v2.id, alias: "champion" } });

    // v2 fails 5 % of its requests: the monitoring job (run here directly) raises an ERROR_RATE alert.
    const windowEnd = new Date(Date.now() + 60_000);
    const windowStart = new Date(Date.now() - 10 * 60_000);
    const latencyCounts = emptyLatencyCounts();
    latencyCounts[latencyBucketIndex(4)] = 1000;
    await new ServingStatsRepository(app.db).add([
      {
        deploymentId: keyOf(deploymentId),
        modelVersionId: keyOf(v2.id),
        bucketStart: servingStatsBucketStart(Date.now()),
        requests: 1000,
        errors: 50,
        latencySumMs: 4000,
        latencyCounts,
      },
    ]);
    const monitored = await app.services.monitoring.monitor(
      systemMeta("system:monitoring"),
      "compliance-monitor-1",
      {
        deploymentId: keyOf(deploymentId),
        windowStart: windowStart.toISOString(),
        windowEnd: windowEnd.toISOString(),
        windowMs: windowEnd.getTime() - windowStart.getTime(),
        alignMs: null,
        requestedBy: "test",
      },
      async () => undefined,
    );
    expect(monitored.alertsRaised).toHaveLength(1);
    const alertId = nodeId("Alert", monitored.alertsRaised[0]!);
    await as(tokens.oncall, `mutation($id: ID!) { acknowledgeAlert(id: $id) { status } }`, { id: alertId });
    await as(tokens.oncall, `mutation($id: ID!) { resolveAlert(id: $id) { status } }`, { id: alertId });

    history = {
      ...upstream,
      runs,
      versions: { v1: v1.id, v2: v2.id },
      artifacts: { v1, v2 },
      deploymentId,
      alertId,
    };
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await rm(dir, { recursive: true, force: true });
  });

  describe("of a deployment", () => {
    let deployment: ComplianceReport;
    beforeAll(async () => {
      deployment = await report({ deploymentId: history.deploymentId });
    });

    it("names its subject: the deployment and every model version that served on it, with time ranges", () => {
      expect(deployment).toMatchObject({
        schemaVersion: 1,
        target: { kind: "DEPLOYMENT", id: keyOf(history.deploymentId), nodeId: history.deploymentId },
      });
      expect(Date.parse(deployment.generatedAt)).toBeGreaterThan(Date.now() - 60_000);
      expect(deployment.subject.deployment).toMatchObject({ name: "fraud-prod", environment: "production", namespace: NS });
      expect(deployment.subject.models).toEqual([
        expect.objectContaining({
          name: "fraud-scorer",
          namespace: NS,
          aliases: [expect.objectContaining({ alias: "champion", modelVersionId: keyOf(history.versions.v2), version: 2 })],
        }),
      ]);
      const [v1, v2] = deployment.subject.modelVersions;
      expect(v1).toMatchObject({
        id: keyOf(history.versions.v1),
        label: "fraud-scorer v1",
        version: 1,
        status: "READY",
        artifactUri: history.artifacts.v1.uri,
        artifactSha256: history.artifacts.v1.sha256,
        aliases: [],
        sourceRunId: keyOf(history.runs.v1),
      });
      expect(v1!.signature).toMatchObject({ format: "onnx", featureNames: ["x0", "x1"] });
      expect(v2).toMatchObject({ label: "fraud-scorer v2", aliases: ["champion"], artifactSha256: history.artifacts.v2.sha256 });
      // v1 served 100 % (r1), then 80 % during the canary (r2) until the promotion (r3); v2 20 %, then 100 %.
      expect(v1!.servedOn.map(({ percent, revisions, to }) => ({ percent, revisions, open: to === null }))).toEqual([
        { percent: 100, revisions: [1], open: false },
        { percent: 80, revisions: [2], open: false },
      ]);
      expect(v2!.servedOn.map(({ percent, revisions, to }) => ({ percent, revisions, open: to === null }))).toEqual([
        { percent: 20, revisions: [2], open: false },
        { percent: 100, revisions: [3], open: true },
      ]);
      expect(v1!.servedOn[1]!.to).toBe(v2!.servedOn[1]!.from);
    });

    it("gives the provenance of each model version: run, exact dataset versions, features, commit, hyperparameters", () => {
      expect(deployment.provenance.map((entry) => entry.label)).toEqual(["fraud-scorer v1", "fraud-scorer v2"]);
      const v1 = deployment.provenance[0]!;
      expect(v1.producingRunId).toBe(keyOf(history.runs.v1));
      expect(v1.runs).toEqual([
        expect.objectContaining({
          id: keyOf(history.runs.v1),
          depth: 1,
          job: "train-fraud",
          status: "COMPLETED",
          commitId: keyOf(history.commitId),
          hyperparameters: { model: "linear_regression", lr: 0.05, epochs: 3 },
        }),
      ]);
      const datasets = Object.fromEntries(v1.datasetVersions.map((version) => [version.dataset, version]));
      expect(datasets["transactions/train"]).toMatchObject({
        id: keyOf(history.trainVersionId),
        version: 1,
        digest: TRAIN_DIGEST,
        role: "TRAIN",
        rowCount: 120_000,
        readByRunId: keyOf(history.runs.v1),
      });
      expect(datasets["transactions/holdout"]).toMatchObject({ digest: HOLDOUT_DIGEST, role: "VALIDATION" });
      expect(v1.features).toEqual([
        expect.objectContaining({ id: keyOf(history.featureId), name: "amount_zscore", featureSet: "transaction_stats" }),
      ]);
      expect(v1.commits).toEqual([
        expect.objectContaining({ repository: "github.com/acme/fraud-model", sha: COMMIT_SHA, branch: "main" }),
      ]);
      expect(deployment.provenance[1]!.runs[0]!.hyperparameters).toMatchObject({ lr: 0.01 });
    });

    it("states training and validation metrics, summarized curves and permutation importance", () => {
      const v1 = deployment.metrics[0]!;
      expect(v1.modelVersion).toEqual([{ key: "val_rmse", split: "VALIDATION", value: 0.42, step: null, timestamp: null }]);
      expect(v1.featureImportance).toEqual([
        { feature: "x1", importance: 0.31 },
        { feature: "x0", importance: 0.05 },
      ]);
      const [run] = v1.runs;
      expect(run!.runId).toBe(keyOf(history.runs.v1));
      expect(run!.final.map(({ key, split, value, step }) => ({ key, split, value, step }))).toEqual([
        { key: "loss", split: "TRAINING", value: 0.3, step: 2 },
        { key: "val_loss", split: "VALIDATION", value: 0.45, step: 2 },
      ]);
      expect(run!.curves.find((curve) => curve.key === "loss")).toMatchObject({
        split: "TRAINING",
        points: 3,
        firstStep: 0,
        lastStep: 2,
        first: 0.9,
        last: 0.3,
        min: 0.3,
        minStep: 2,
        max: 0.9,
        maxStep: 0,
        sample: [
          { step: 0, value: 0.9 },
          { step: 1, value: 0.5 },
          { step: 2, value: 0.3 },
        ],
      });
    });

    it("derives approvals from the audit trail, with actor and time", () => {
      expect(deployment.approvalsSource).toMatch(/^Derived from the audit trail/);
      const approvals = deployment.approvals.map(({ kind, modelVersionId, actor }) => ({ kind, modelVersionId, actor }));
      const v1 = keyOf(history.versions.v1);
      const v2 = keyOf(history.versions.v2);
      expect(approvals).toEqual([
        { kind: "ALIAS_SET", modelVersionId: v1, actor: "release@example.com" },
        { kind: "TRAFFIC_ASSIGNED", modelVersionId: v1, actor: "release@example.com" },
        { kind: "TRAFFIC_ASSIGNED", modelVersionId: v1, actor: "release@example.com" },
        { kind: "TRAFFIC_ASSIGNED", modelVersionId: v2, actor: "release@example.com" },
        { kind: "ROLLOUT_STARTED", modelVersionId: v2, actor: "release@example.com" },
        { kind: "TRAFFIC_ASSIGNED", modelVersionId: v2, actor: "release@example.com" },
        { kind: "ROLLOUT_PROMOTED", modelVersionId: v2, actor: "release@example.com" },
        { kind: "ALIAS_SET", modelVersionId: v2, actor: "release@example.com" },
      ]);
      const sequences = deployment.approvals.map((approval) => approval.auditSequence!);
      expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
      expect(deployment.approvals.at(-1)!.detail).toBe('Alias "champion" set on fraud-scorer v2 (moved from fraud-scorer v1).');
    });

    it("tells the deployment history: revisions with traffic shares, the rollout and its promotion, who and when", () => {
      const [entry] = deployment.deployments;
      expect(
        entry!.revisions.map(({ revision, kind, actor, reason, trafficSplit }) => ({
          revision,
          kind,
          actor,
          reason,
          trafficSplit,
        })),
      ).toEqual([
        {
          revision: 1,
          kind: "INITIAL",
          actor: "release@example.com",
          reason: "First release",
          trafficSplit: [{ modelVersionId: keyOf(history.versions.v1), label: "fraud-scorer v1", percent: 100 }],
        },
        {
          revision: 2,
          kind: "ROLLOUT_START",
          actor: "release@example.com",
          reason: expect.any(String),
          trafficSplit: [
            { modelVersionId: keyOf(history.versions.v1), label: "fraud-scorer v1", percent: 80 },
            { modelVersionId: keyOf(history.versions.v2), label: "fraud-scorer v2", percent: 20 },
          ],
        },
        {
          revision: 3,
          kind: "ROLLOUT_PROMOTION",
          actor: "release@example.com",
          reason: "Canary promoted to 100%: Canary healthy",
          trafficSplit: [{ modelVersionId: keyOf(history.versions.v2), label: "fraud-scorer v2", percent: 100 }],
        },
      ]);
      expect(entry!.revisions[0]!.effectiveUntil).toBe(entry!.revisions[1]!.effectiveFrom);
      expect(entry!.revisions[2]!.effectiveUntil).toBeNull();
      expect(entry!.rollouts).toEqual([
        expect.objectContaining({
          state: "PROMOTED",
          canaryLabel: "fraud-scorer v2",
          canaryPercent: 20,
          startRevision: 2,
          endRevision: 3,
          startedBy: "release@example.com",
          endedBy: "release@example.com",
          reason: "Canary healthy",
        }),
      ]);
      expect(entry!.trafficTimeline).toHaveLength(4);
    });

    it("lists alerts with their resolution, and the drift reports", () => {
      expect(deployment.monitoring.alerts).toEqual([
        expect.objectContaining({
          id: keyOf(history.alertId),
          kind: "ERROR_RATE",
          ruleName: "error-rate",
          status: "RESOLVED",
          observed: 0.05,
          modelVersionIds: [keyOf(history.versions.v2)],
          raisedBy: "system:monitoring",
          acknowledgedBy: "oncall@example.com",
          resolvedBy: "oncall@example.com",
        }),
      ]);
      const [alert] = deployment.monitoring.alerts;
      expect(Date.parse(alert!.acknowledgedAt!)).toBeLessThanOrEqual(Date.parse(alert!.resolvedAt!));
      expect(deployment.monitoring.driftReportCount).toBeGreaterThanOrEqual(1);
      expect(
        deployment.monitoring.driftReports.find((drift) => drift.modelVersionId === keyOf(history.versions.v2)),
      ).toMatchObject({
        serving: { requests: 1000, errors: 50, errorRate: 0.05 },
      });
    });

    it("quotes the audit events of every node involved, in chain order with hashes, and verifies their range", () => {
      const { nodes, events, chainVerification } = deployment.audit;
      const kinds = new Set(nodes.map((node) => node.kind));
      for (const kind of [
        "Model",
        "ModelVersion",
        "Deployment",
        "DeploymentRevision",
        "Run",
        "DatasetVersion",
        "Feature",
        "CodeCommit",
      ]) {
        expect(kinds).toContain(kind);
      }
      const sequences = events.map((event) => event.sequence!);
      expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
      expect(new Set(sequences).size).toBe(sequences.length);
      for (const event of events) expect(event.hash).toMatch(/^[0-9a-f]{64}$/);
      const actions = new Set(events.map((event) => event.action));
      for (const action of [
        "dataset_version.registered",
        "code_commit.registered",
        "feature.registered",
        "run.started",
        "run.metrics_logged",
        "model_version.registered",
        "model_alias.set",
        "deployment.created",
        "deployment_revision.created",
        "rollout.started",
        "rollout.promoted",
        "alert.raised",
        "alert.acknowledged",
        "alert.resolved",
      ]) {
        expect(actions).toContain(action);
      }
      // Nothing of another node: every event targets a listed node.
      const listed = new Set(nodes.map((node) => `${node.kind}:${node.id}`));
      for (const event of events) expect(listed).toContain(`${event.targetType}:${event.targetId}`);
      expect(chainVerification).toMatchObject({ ok: true, brokenLink: null });
      expect(chainVerification!.eventsChecked).toBeGreaterThanOrEqual(events.length);
      expect(chainVerification!.firstEventId).toBeLessThanOrEqual(events[0]!.id);
      expect(chainVerification!.lastEventId).toBeGreaterThanOrEqual(events.at(-1)!.id);
    });

    it("carries a digest of its canonical JSON, which any edit changes", () => {
      const { digest, ...rest } = deployment;
      expect(digest).toBe(createHash("sha256").update(canonicalize(rest)!, "utf8").digest("hex"));
      expect(complianceReportDigest(deployment)).toBe(digest);
      const edited = structuredClone(deployment);
      edited.subject.modelVersions[0]!.artifactSha256 = "0".repeat(64);
      expect(complianceReportDigest(edited)).not.toBe(digest);
      const reordered = structuredClone(deployment);
      reordered.approvals.reverse();
      expect(complianceReportDigest(reordered)).not.toBe(digest);
    });

    it("renders as a PDF with every part, page numbers, deterministically", async () => {
      const pdf = await renderComplianceReportPdf(deployment);
      expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
      expect(await renderComplianceReportPdf(deployment)).toEqual(pdf);
      const parser = new PDFParse({ data: new Uint8Array(pdf) });
      try {
        const { text, total } = await parser.getText();
        expect(total).toBeGreaterThan(1);
        const flat = text.replace(/\s+/g, " ");
        // Hashes wrap inside narrow table cells: look for them with the line breaks taken out.
        const compact = text.replace(/\s+/g, "");
        for (const hash of [deployment.digest, TRAIN_DIGEST, HOLDOUT_DIGEST, COMMIT_SHA, history.artifacts.v2.sha256]) {
          expect(compact).toContain(hash);
        }
        for (const expected of [
          "Model compliance report",
          "fraud-scorer",
          "fraud-scorer v1",
          "fraud-scorer v2",
          "fraud-prod",
          "80%",
          "20%",
          "100%",
          "ERROR_RATE",
          "oncall@example.com",
          "rollout promoted",
          "rollout promotion",
          "Hash chain verified",
        ]) {
          expect(flat).toContain(expected);
        }
        for (let page = 1; page <= total; page += 1) expect(flat).toContain(`page ${page} of ${total}`);
      } finally {
        await parser.destroy();
      }
    });
  });

  describe("of a model version", () => {
    it("covers that version only, with the deployments it served on", async () => {
      const v1 = await report({ modelVersionId: history.versions.v1 });
      expect(v1.target).toEqual({ kind: "MODEL_VERSION", id: keyOf(history.versions.v1), nodeId: history.versions.v1 });
      expect(v1.subject.deployment).toBeNull();
      expect(v1.subject.modelVersions.map((version) => version.label)).toEqual(["fraud-scorer v1"]);
      expect(v1.provenance.map((entry) => entry.producingRunId)).toEqual([keyOf(history.runs.v1)]);
      expect(v1.deployments.map((entry) => entry.deployment.name)).toEqual(["fraud-prod"]);
      expect(v1.approvals.every((approval) => approval.modelVersionId === keyOf(history.versions.v1))).toBe(true);
      // The alert named v2 only.
      expect(v1.monitoring.alerts).toEqual([]);
      const runs = new Set(v1.audit.nodes.filter((node) => node.kind === "Run").map((node) => node.id));
      expect(runs).toEqual(new Set([keyOf(history.runs.v1)]));
      expect(complianceReportDigest(v1)).toBe(v1.digest);
    });

    it("changes its digest when the history changes", async () => {
      const before = await report({ modelVersionId: history.versions.v2 });
      await as(tokens.engineer, `mutation($input: UpdateModelVersionInput!) { updateModelVersion(input: $input) { id } }`, {
        input: { id: history.versions.v2, description: "Reviewed by risk" },
      });
      const after = await report({ modelVersionId: history.versions.v2 });
      expect(after.subject.modelVersions[0]!.description).toBe("Reviewed by risk");
      expect(after.audit.events.length).toBe(before.audit.events.length + 1);
      expect(after.digest).not.toBe(before.digest);
    });
  });

  describe("bad input", () => {
    it("unknown ids are NOT_FOUND", async () => {
      for (const variables of [
        { modelVersionId: nodeId("ModelVersion", UNKNOWN) },
        { deploymentId: nodeId("Deployment", UNKNOWN) },
      ]) {
        const result = await app.graphql(REPORT, variables, bearer(tokens.auditor));
        expect(result.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
        expect(result.errors?.[0]?.extensions?.field).toBe(Object.keys(variables)[0]);
      }
    });

    it("both ids, neither, or an id of another kind are BAD_USER_INPUT naming the field", async () => {
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ modelVersionId: history.versions.v1, deploymentId: history.deploymentId }, "deploymentId"],
        [{}, "modelVersionId"],
        [{ modelVersionId: history.deploymentId }, "modelVersionId"],
        [{ deploymentId: "not-an-id" }, "deploymentId"],
      ];
      for (const [variables, field] of cases) {
        const result = await app.graphql(REPORT, variables, bearer(tokens.auditor));
        expect(result.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
        expect(result.errors?.[0]?.extensions?.field).toBe(field);
        expect(result.data?.modelComplianceReport ?? null).toBeNull();
      }
    });
  });
});
