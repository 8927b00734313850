import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ModelName } from "../../prisma/generated/internal/prismaNamespace.js";
import { type Database, openDatabase } from "./database.js";
import { type ScratchDatabase, createScratchDatabase, testDatabaseKind } from "../testing/test-database.js";

/** Columns each model maps to, read from schema.prisma (scalar and enum fields only). */
function columnsFromSchema(): Map<string, Map<string, { nullable: boolean }>> {
  const schema = readFileSync(new URL("../../prisma/schema.prisma", import.meta.url), "utf8");
  const enums = new Set([...schema.matchAll(/^enum (\w+) \{/gm)].map((match) => match[1]!));
  const scalars = new Set(["String", "Int", "BigInt", "Float", "Boolean", "DateTime", "Json", "Decimal", "Bytes", ...enums]);
  const tables = new Map<string, Map<string, { nullable: boolean }>>();
  for (const block of schema.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
    const body = block[2]!;
    const table = /@@map\("([^"]+)"\)/.exec(body)?.[1] ?? block[1]!;
    const columns = new Map<string, { nullable: boolean }>();
    for (const line of body.split("\n")) {
      const field = /^\s+(\w+)\s+(\w+)(\[\])?(\?)?/.exec(line);
      if (!field || !scalars.has(field[2]!)) continue;
      const column = /@map\("([^"]+)"\)/.exec(line)?.[1] ?? field[1]!;
      // Prisma creates scalar lists without NOT NULL.
      columns.set(column, { nullable: field[4] === "?" || field[3] === "[]" });
    }
    tables.set(table, columns);
  }
  return tables;
}

describe("migrated database and schema.prisma agree", () => {
  let db: Database;
  let scratch: ScratchDatabase | undefined;

  beforeAll(async () => {
    if (testDatabaseKind() === "postgres") scratch = await createScratchDatabase();
    db = await openDatabase({ url: scratch?.url, dataDir: undefined });
  });
  afterAll(async () => {
    await db?.close();
    await scratch?.drop();
  });

  it("has exactly the tables and columns (with nullability) the schema declares", async () => {
    const expected = columnsFromSchema();
    const { rows } = await db.pool.query<{ table_name: string; column_name: string; is_nullable: string }>(
      `SELECT table_name, column_name, is_nullable FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
    );
    const actual = new Map<string, Map<string, { nullable: boolean }>>();
    for (const row of rows) {
      const columns = actual.get(row.table_name) ?? new Map();
      columns.set(row.column_name, { nullable: row.is_nullable === "YES" });
      actual.set(row.table_name, columns);
    }
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [table, columns] of expected) {
      expect({ table, columns: Object.fromEntries(actual.get(table) ?? []) }).toEqual({
        table,
        columns: Object.fromEntries(columns),
      });
    }
  });

  it("creates, reads, updates and deletes every model through the generated client", async () => {
    const p = db.prisma;
    const touched: string[] = [];
    const ns = await p.namespace.create({ data: { name: "rt" } });
    const dataset = await p.dataset.create({ data: { namespaceId: ns.id, name: "d" } });
    const version = await p.datasetVersion.create({
      data: {
        datasetId: dataset.id,
        version: 1,
        uri: "file:///d",
        format: "CSV",
        digest: "sha256:00",
        schemaFields: [{ name: "a", type: "int" }],
        rowCount: 10n,
      },
    });
    const field = await p.datasetField.create({ data: { datasetVersionId: version.id, name: "a", dataType: "int" } });
    // One field per name within a version.
    await expect(p.datasetField.create({ data: { datasetVersionId: version.id, name: "a" } })).rejects.toMatchObject({
      code: "P2002",
    });
    const featureSet = await p.featureSet.create({ data: { namespaceId: ns.id, name: "fs", entityKeys: ["user_id"] } });
    const feature = await p.feature.create({ data: { featureSetId: featureSet.id, name: "f", dtype: "float" } });
    const commit = await p.codeCommit.create({ data: { namespaceId: ns.id, repository: "git@x:y/z", sha: "abc1234" } });
    const job = await p.job.create({ data: { namespaceId: ns.id, name: "train" } });
    const parent = await p.run.create({ data: { jobId: job.id } });
    const run = await p.run.create({
      data: { jobId: job.id, parentRunId: parent.id, commitId: commit.id, hyperparameters: { lr: 0.1 }, externalId: "ext" },
    });
    const point = await p.metricPoint.create({ data: { runId: run.id, key: "loss", value: 0.5, step: 1 } });
    const model = await p.model.create({ data: { namespaceId: ns.id, name: "m" } });
    const modelVersion = await p.modelVersion.create({
      data: {
        modelId: model.id,
        version: 1,
        artifactUri: "file:///m.onnx",
        artifactSha256: "a".repeat(64),
        sourceRunId: run.id,
        baselineStats: {},
        status: "READY",
      },
    });
    const canaryVersion = await p.modelVersion.create({
      data: { modelId: model.id, version: 2, artifactUri: "s3://b/m2.onnx", artifactSha256: "b".repeat(64) },
    });
    expect(canaryVersion.status).toBe("PENDING");
    const alias = await p.modelAlias.create({ data: { modelId: model.id, alias: "champion", modelVersionId: modelVersion.id } });
    const deployment = await p.deployment.create({ data: { namespaceId: ns.id, name: "prod", environment: "production" } });
    const revision = await p.deploymentRevision.create({
      data: {
        deploymentId: deployment.id,
        revision: 1,
        trafficSplit: [{ modelVersionId: modelVersion.id, percent: 100 }],
        actor: "t",
      },
    });
    const rollout = await p.rollout.create({
      data: {
        deploymentId: deployment.id,
        canaryModelVersionId: canaryVersion.id,
        baselineModelVersionId: modelVersion.id,
        baselineSplit: [{ modelVersionId: modelVersion.id, percent: 100 }],
        canaryPercent: 10,
        windowSeconds: 300,
        maxErrorRate: 0.01,
        maxP99Ms: 200,
        minRequests: 100,
        startRevision: 1,
        actor: "t",
      },
    });
    const rule = await p.alertRule.create({ data: { deploymentId: deployment.id, name: "drift", kind: "DATA_DRIFT" } });
    const report = await p.driftReport.create({
      data: {
        deploymentId: deployment.id,
        modelVersionId: modelVersion.id,
        windowStart: new Date(),
        windowEnd: new Date(),
        jobId: "monitor-1",
        sampleCount: 500,
        driftedFeatures: ["a"],
        predictionDrift: { psi: 0.01 },
        serving: { requests: 500, errors: 0 },
        performance: { accuracy: 0.9 },
      },
    });
    // A retried monitoring job finds its report again: one report per job and model version.
    await expect(
      p.driftReport.create({
        data: {
          deploymentId: deployment.id,
          modelVersionId: modelVersion.id,
          windowStart: new Date(),
          windowEnd: new Date(),
          jobId: "monitor-1",
        },
      }),
    ).rejects.toMatchObject({ code: "P2002" });
    const alert = await p.alert.create({
      data: {
        ruleId: rule.id,
        deploymentId: deployment.id,
        driftReportId: report.id,
        message: "psi 0.3",
        driftingFeatures: ["a"],
        details: { deployments: [deployment.id] },
      },
    });
    const predictionLog = await p.predictionLog.create({
      data: {
        id: "00000000-0000-4000-8000-000000000001",
        deploymentId: deployment.id,
        modelVersionId: modelVersion.id,
        requestedAt: new Date(),
        inputs: { a: 1 },
        outputs: { label: "1" },
        latencyMs: 1.5,
      },
    });
    const statsBucket = await p.servingStatsBucket.create({
      data: {
        deploymentId: deployment.id,
        modelVersionId: modelVersion.id,
        bucketStart: new Date(0),
        requests: 2,
        latencyCounts: [1, 1],
      },
    });
    const statsKey = {
      deploymentId: statsBucket.deploymentId,
      modelVersionId: statsBucket.modelVersionId,
      bucketStart: statsBucket.bucketStart,
    };
    const groundTruth = await p.groundTruth.create({
      data: {
        predictionId: predictionLog.id,
        deploymentId: deployment.id,
        modelVersionId: modelVersion.id,
        predictedAt: predictionLog.requestedAt,
        label: "1",
        recordedBy: "t",
      },
    });
    const audit = await p.auditEvent.create({
      data: { actor: "t", action: "x.y", targetType: "Run", targetId: run.id, after: { a: 1 } },
    });
    const user = await p.user.create({ data: { email: "a@b.c" } });
    const token = await p.apiToken.create({ data: { userId: user.id, name: "ci", tokenHash: "h" } });
    const binding = await p.roleBinding.create({ data: { userId: user.id, role: "EDITOR", namespaceId: ns.id } });
    // A global binding (no namespace) is unique too.
    const global = await p.roleBinding.create({ data: { userId: user.id, role: "ADMIN" } });
    await expect(p.roleBinding.create({ data: { userId: user.id, role: "ADMIN" } })).rejects.toMatchObject({ code: "P2002" });
    await p.roleBinding.delete({ where: { id: global.id } });
    const jobRecord = await p.jobRecord.create({ data: { queue: "training", name: "train", payload: { a: 1 } } });
    const edge = await p.lineageEdge.create({
      data: {
        upstreamType: "DATASET_VERSION",
        upstreamId: version.id,
        downstreamType: "RUN",
        downstreamId: run.id,
        kind: "CONSUMED",
        role: "TRAIN",
      },
    });
    const outbox = await p.graphOutbox.create({ data: { topic: "t", payload: { a: 1 } } });
    const checkpoint = await p.graphProjectionCheckpoint.create({ data: { projection: "roundtrip", position: 1n } });
    const sweepJob = await p.jobRecord.create({ data: { queue: "training", name: "sweep", payload: {} } });
    const complianceExport = await p.complianceExport.create({
      data: { kind: "AUDIT_LOG", formats: ["CSV"], requestedBy: "t", expiresAt: new Date() },
    });
    const sweep = await p.sweep.create({
      data: {
        runId: parent.id,
        jobRecordId: sweepJob.id,
        strategy: "GRID",
        metric: "accuracy",
        goal: "MAXIMIZE",
        maxParallel: 2,
        space: [{ name: "lr", values: [0.1, 0.01] }],
        trials: [{ index: 0, params: { lr: 0.1 }, jobId: "j0" }],
        trialCount: 2,
      },
    });
    const openLineageEvent = await p.openLineageEvent.create({
      data: {
        eventHash: "h1",
        kind: "RUN",
        eventType: "START",
        eventTime: new Date(),
        namespaceId: ns.id,
        runId: run.id,
        payload: {},
      },
    });
    const symlinkKey = { namespace: "hive://metastore", name: "rt.d" };
    await p.datasetSymlink.create({ data: { ...symlinkKey, datasetId: dataset.id, type: "TABLE" } });
    const facetKey = { nodeKind: "Run", nodeId: run.id, name: "nominalTime" };
    await p.openLineageFacet.create({
      data: { ...facetKey, facet: { nominalStartTime: "2026-01-01T00:00:00Z" }, eventTime: new Date() },
    });

    // Read each back by its key and update one field.
    const checks: Array<[string, () => Promise<unknown>, () => Promise<unknown>]> = [
      [
        "namespace",
        () => p.namespace.findUniqueOrThrow({ where: { id: ns.id } }),
        () => p.namespace.update({ where: { id: ns.id }, data: { description: "x" } }),
      ],
      [
        "dataset",
        () => p.dataset.findUniqueOrThrow({ where: { id: dataset.id } }),
        () => p.dataset.update({ where: { id: dataset.id }, data: { description: "x" } }),
      ],
      [
        "datasetVersion",
        () => p.datasetVersion.findUniqueOrThrow({ where: { id: version.id } }),
        () => p.datasetVersion.update({ where: { id: version.id }, data: { snapshotRef: "s" } }),
      ],
      [
        "datasetField",
        () => p.datasetField.findUniqueOrThrow({ where: { datasetVersionId_name: { datasetVersionId: version.id, name: "a" } } }),
        () => p.datasetField.update({ where: { id: field.id }, data: { dataType: "int64" } }),
      ],
      [
        "featureSet",
        () => p.featureSet.findUniqueOrThrow({ where: { id: featureSet.id } }),
        () => p.featureSet.update({ where: { id: featureSet.id }, data: { entityKeys: ["a", "b"] } }),
      ],
      [
        "feature",
        () => p.feature.findUniqueOrThrow({ where: { id: feature.id } }),
        () => p.feature.update({ where: { id: feature.id }, data: { dtype: "int" } }),
      ],
      [
        "codeCommit",
        () => p.codeCommit.findUniqueOrThrow({ where: { id: commit.id } }),
        () => p.codeCommit.update({ where: { id: commit.id }, data: { branch: "main" } }),
      ],
      [
        "job",
        () => p.job.findUniqueOrThrow({ where: { id: job.id } }),
        () => p.job.update({ where: { id: job.id }, data: { jobType: "training" } }),
      ],
      [
        "run",
        () => p.run.findUniqueOrThrow({ where: { id: run.id } }),
        () => p.run.update({ where: { id: run.id }, data: { status: "RUNNING", latestMetrics: { loss: 1 } } }),
      ],
      [
        "metricPoint",
        () => p.metricPoint.findUniqueOrThrow({ where: { id: point.id } }),
        () => p.metricPoint.update({ where: { id: point.id }, data: { value: 0.4 } }),
      ],
      [
        "model",
        () => p.model.findUniqueOrThrow({ where: { id: model.id } }),
        () => p.model.update({ where: { id: model.id }, data: { description: "x" } }),
      ],
      [
        "modelVersion",
        () => p.modelVersion.findUniqueOrThrow({ where: { id: modelVersion.id } }),
        () =>
          p.modelVersion.update({ where: { id: modelVersion.id }, data: { metrics: { auc: 0.9 }, statusReason: "verified" } }),
      ],
      [
        "modelAlias",
        () => p.modelAlias.findUniqueOrThrow({ where: { modelId_alias: { modelId: model.id, alias: "champion" } } }),
        () =>
          p.modelAlias.update({
            where: { modelId_alias: { modelId: alias.modelId, alias: alias.alias } },
            data: { modelVersionId: modelVersion.id },
          }),
      ],
      [
        "deployment",
        () => p.deployment.findUniqueOrThrow({ where: { id: deployment.id } }),
        () => p.deployment.update({ where: { id: deployment.id }, data: { environment: "staging" } }),
      ],
      [
        "deploymentRevision",
        () => p.deploymentRevision.findUniqueOrThrow({ where: { id: revision.id } }),
        () => p.deploymentRevision.update({ where: { id: revision.id }, data: { reason: "r" } }),
      ],
      [
        "rollout",
        () => p.rollout.findUniqueOrThrow({ where: { id: rollout.id } }),
        () =>
          p.rollout.update({
            where: { id: rollout.id },
            data: { state: "PROMOTED", endRevision: 2, lastStats: { requests: 100 }, endedAt: new Date() },
          }),
      ],
      [
        "alertRule",
        () => p.alertRule.findUniqueOrThrow({ where: { id: rule.id } }),
        () => p.alertRule.update({ where: { id: rule.id }, data: { enabled: false } }),
      ],
      [
        "driftReport",
        () => p.driftReport.findUniqueOrThrow({ where: { id: report.id } }),
        () => p.driftReport.update({ where: { id: report.id }, data: { featureScores: { a: 0.1 } } }),
      ],
      [
        "alert",
        () => p.alert.findUniqueOrThrow({ where: { id: alert.id } }),
        () =>
          p.alert.update({
            where: { id: alert.id },
            data: { status: "RESOLVED", acknowledgedAt: new Date(), resolvedAt: new Date() },
          }),
      ],
      [
        "predictionLog",
        () => p.predictionLog.findUniqueOrThrow({ where: { id: predictionLog.id } }),
        () => p.predictionLog.update({ where: { id: predictionLog.id }, data: { error: "e" } }),
      ],
      [
        "servingStatsBucket",
        () => p.servingStatsBucket.findUniqueOrThrow({ where: { deploymentId_modelVersionId_bucketStart: statsKey } }),
        () =>
          p.servingStatsBucket.update({
            where: { deploymentId_modelVersionId_bucketStart: statsKey },
            data: { errors: 1, latencySumMs: 3 },
          }),
      ],
      [
        "groundTruth",
        () => p.groundTruth.findUniqueOrThrow({ where: { predictionId: groundTruth.predictionId } }),
        () => p.groundTruth.update({ where: { predictionId: groundTruth.predictionId }, data: { value: 1 } }),
      ],
      [
        "complianceExport",
        () => p.complianceExport.findUniqueOrThrow({ where: { id: complianceExport.id } }),
        () => p.complianceExport.update({ where: { id: complianceExport.id }, data: { status: "SUCCEEDED", progress: 100 } }),
      ],
      [
        "sweep",
        () => p.sweep.findUniqueOrThrow({ where: { runId: sweep.runId } }),
        () =>
          p.sweep.update({
            where: { runId: sweep.runId },
            data: { completedTrials: 2, bestChildRunId: run.id, bestMetric: 0.9, bestParams: { lr: 0.1 } },
          }),
      ],
      [
        "auditEvent",
        () => p.auditEvent.findUniqueOrThrow({ where: { id: audit.id } }),
        // Append-only (a trigger refuses the update): the refusal is the expected outcome.
        () =>
          expect(p.auditEvent.update({ where: { id: audit.id }, data: { hash: "h" } }))
            .rejects.toThrow(/append-only/)
            .then(() => true),
      ],
      [
        "user",
        () => p.user.findUniqueOrThrow({ where: { id: user.id } }),
        () => p.user.update({ where: { id: user.id }, data: { displayName: "A" } }),
      ],
      [
        "apiToken",
        () => p.apiToken.findUniqueOrThrow({ where: { id: token.id } }),
        () => p.apiToken.update({ where: { id: token.id }, data: { lastUsedAt: new Date() } }),
      ],
      [
        "roleBinding",
        () => p.roleBinding.findUniqueOrThrow({ where: { id: binding.id } }),
        () => p.roleBinding.update({ where: { id: binding.id }, data: { role: "VIEWER" } }),
      ],
      [
        "jobRecord",
        () => p.jobRecord.findUniqueOrThrow({ where: { id: jobRecord.id } }),
        () => p.jobRecord.update({ where: { id: jobRecord.id }, data: { status: "ACTIVE", progress: 50 } }),
      ],
      [
        "lineageEdge",
        () => p.lineageEdge.findUniqueOrThrow({ where: { id: edge.id } }),
        () => p.lineageEdge.update({ where: { id: edge.id }, data: { validTo: new Date() } }),
      ],
      [
        "graphOutbox",
        () => p.graphOutbox.findUniqueOrThrow({ where: { id: outbox.id } }),
        () => p.graphOutbox.update({ where: { id: outbox.id }, data: { projectedAt: new Date() } }),
      ],
      [
        "graphProjectionCheckpoint",
        () => p.graphProjectionCheckpoint.findUniqueOrThrow({ where: { projection: checkpoint.projection } }),
        () => p.graphProjectionCheckpoint.update({ where: { projection: checkpoint.projection }, data: { position: 2n } }),
      ],
      [
        "openLineageEvent",
        () => p.openLineageEvent.findUniqueOrThrow({ where: { eventHash: openLineageEvent.eventHash } }),
        () => p.openLineageEvent.update({ where: { id: openLineageEvent.id }, data: { jobId: job.id } }),
      ],
      [
        "datasetSymlink",
        () => p.datasetSymlink.findUniqueOrThrow({ where: { namespace_name: symlinkKey } }),
        () => p.datasetSymlink.update({ where: { namespace_name: symlinkKey }, data: { type: "LOCATION" } }),
      ],
      [
        "openLineageFacet",
        () => p.openLineageFacet.findUniqueOrThrow({ where: { nodeKind_nodeId_name: facetKey } }),
        () => p.openLineageFacet.update({ where: { nodeKind_nodeId_name: facetKey }, data: { facet: {} } }),
      ],
    ];
    for (const [name, read, update] of checks) {
      await expect(read(), name).resolves.toBeTruthy();
      await expect(update(), name).resolves.toBeTruthy();
      touched.push(name);
    }
    // Every model of the generated client is covered.
    const clientModels = Object.values(ModelName).map((name) => name[0]!.toLowerCase() + name.slice(1));
    expect(touched.sort()).toEqual(clientModels.sort());

    // Delete in dependency order.
    await p.openLineageFacet.delete({ where: { nodeKind_nodeId_name: facetKey } });
    await p.datasetSymlink.delete({ where: { namespace_name: symlinkKey } });
    await p.openLineageEvent.delete({ where: { id: openLineageEvent.id } });
    await p.sweep.delete({ where: { runId: sweep.runId } });
    await p.complianceExport.delete({ where: { id: complianceExport.id } });
    await p.jobRecord.delete({ where: { id: sweepJob.id } });
    await p.groundTruth.delete({ where: { predictionId: groundTruth.predictionId } });
    await p.servingStatsBucket.delete({ where: { deploymentId_modelVersionId_bucketStart: statsKey } });
    await p.predictionLog.delete({ where: { id: predictionLog.id } });
    await p.graphProjectionCheckpoint.delete({ where: { projection: checkpoint.projection } });
    await p.graphOutbox.delete({ where: { id: outbox.id } });
    await p.lineageEdge.delete({ where: { id: edge.id } });
    await p.jobRecord.delete({ where: { id: jobRecord.id } });
    await p.roleBinding.delete({ where: { id: binding.id } });
    await p.apiToken.delete({ where: { id: token.id } });
    await p.user.delete({ where: { id: user.id } });
    await expect(p.auditEvent.delete({ where: { id: audit.id } })).rejects.toThrow(/append-only/);
    await p.alert.delete({ where: { id: alert.id } });
    await p.driftReport.delete({ where: { id: report.id } });
    await p.alertRule.delete({ where: { id: rule.id } });
    await p.rollout.delete({ where: { id: rollout.id } });
    await p.deploymentRevision.delete({ where: { id: revision.id } });
    await p.deployment.delete({ where: { id: deployment.id } });
    await p.modelAlias.delete({ where: { modelId_alias: { modelId: model.id, alias: "champion" } } });
    await p.modelVersion.delete({ where: { id: modelVersion.id } });
    await p.modelVersion.delete({ where: { id: canaryVersion.id } });
    await p.model.delete({ where: { id: model.id } });
    await p.run.delete({ where: { id: run.id } }); // cascades metric points
    expect(await p.metricPoint.count({ where: { runId: run.id } })).toBe(0);
    await p.run.delete({ where: { id: parent.id } });
    await p.job.delete({ where: { id: job.id } });
    await p.codeCommit.delete({ where: { id: commit.id } });
    await p.feature.delete({ where: { id: feature.id } });
    await p.featureSet.delete({ where: { id: featureSet.id } });
    await p.datasetField.delete({ where: { id: field.id } });
    await p.datasetVersion.delete({ where: { id: version.id } });
    await p.dataset.delete({ where: { id: dataset.id } });
    await p.namespace.delete({ where: { id: ns.id } });
    expect(await p.namespace.count({ where: { name: "rt" } })).toBe(0);
  });
});
