import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rolloutCheckHandler } from "../../workers/processors/rollout.processor.js";
import { deploymentEventsTopic, type DeploymentEvent } from "../events/topics.js";
import { writeLinearModelArtifact } from "../model/model-artifact.fixtures.js";
import { emptyLatencyCounts, latencyBucketIndex } from "../serving/latency-histogram.js";
import { ServingStatsRepository, servingStatsBucketStart } from "../serving/serving-stats.repository.js";
import { type TestApp, startTestApp } from "../testing/test-app.js";
import { CREATE, SET_TRAFFIC, deploymentFixtures, keyOf, sha } from "./deployment.fixtures.js";

const ROLLOUT = `mutation($input: StartRolloutInput!) {
  rollout(input: $input) {
    rollout { id state canaryPercent windowSeconds maxP99Ms maxErrorRate startRevision canaryModelVersion { id } baselineModelVersion { id } }
    revision { revision reason trafficSplit { percent modelVersion { id } } }
    job { id queue name }
  }
}`;
const PROMOTE = `mutation($input: PromoteRolloutInput!) {
  promote(input: $input) { rollout { state endRevision reason } revision { revision reason actor trafficSplit { percent modelVersion { id } } } }
}`;
const ROLLBACK = `mutation($input: RollbackRolloutInput!) {
  rollback(input: $input) { rollout { state endRevision reason } revision { revision reason trafficSplit { percent modelVersion { id } } } }
}`;
const DEPLOYMENT = `query($name: String!) {
  deployment(namespace: "serving", name: $name) {
    currentRevision { revision reason actor trafficSplit { percent modelVersion { id } } }
    revisions { totalCount }
    activeRollout { id }
    rollouts { totalCount edges { node { id state reason endRevision lastHealth { requests errors errorRate p99Ms } checkJob { status } } } }
  }
}`;
const REGISTER = `mutation($input: RegisterModelVersionInput!) {
  registerModelVersion(input: $input) { created modelVersion { id status statusReason } }
}`;
const WRITE_TABLES = ["deployment", "deployment_revision", "rollout", "audit_event", "lineage_edge", "job_record"];

describe("canary rollouts", () => {
  let app: TestApp;
  let dir: string;
  let fixtures: ReturnType<typeof deploymentFixtures>;
  let stats: ServingStatsRepository;
  let deploymentCounter = 0;

  beforeAll(async () => {
    // Checks every 100 ms, so that windows of a second or two are judged quickly.
    process.env.PEDIGREE_ROLLOUT_CHECK_INTERVAL_MS = "100";
    dir = await mkdtemp(join(tmpdir(), "pedigree-rollout-"));
    app = await startTestApp({ config: { inProcessWorkers: true } });
    fixtures = deploymentFixtures(app);
    stats = new ServingStatsRepository(app.db);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** A deployment serving a fresh READY baseline at 100%, and a fresh READY canary. */
  async function deploymentWithCanary() {
    deploymentCounter += 1;
    const name = `rollout-${deploymentCounter}`;
    const [baseline, canary] = [await fixtures.modelVersion(), await fixtures.modelVersion()];
    const deployment = await fixtures.createDeployment(name, { trafficSplit: [{ modelVersionId: baseline, percent: 100 }] });
    return { name, deploymentId: deployment.id as string, baseline, canary };
  }

  /** Serving statistics of the canary, written through SERVING's repository as the serving process does. */
  async function serve(deploymentId: string, modelVersionId: string, requests: number, errors: number, latencyMs: number) {
    const latencyCounts = emptyLatencyCounts();
    latencyCounts[latencyBucketIndex(latencyMs)] = requests;
    await stats.add([
      {
        deploymentId: keyOf(deploymentId),
        modelVersionId: keyOf(modelVersionId),
        bucketStart: servingStatsBucketStart(Date.now()),
        requests,
        errors,
        latencySumMs: requests * latencyMs,
        latencyCounts,
      },
    ]);
  }

  async function waitForRollout(name: string, state: string) {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const result = await app.graphql(DEPLOYMENT, { name });
      expect(result.errors).toBeUndefined();
      const deployment = result.data!.deployment;
      const latest = deployment.rollouts.edges[0]?.node;
      if (latest?.state === state) return deployment;
      if (Date.now() > deadline) throw new Error(`rollout did not reach ${state}: ${JSON.stringify(deployment)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async function startRollout(input: Record<string, unknown>) {
    const result = await app.graphql(ROLLOUT, { input });
    expect(result.errors).toBeUndefined();
    return result.data!.rollout;
  }

  describe("model version readiness", () => {
    it("marks a verified artifact READY, an unverifiable one PENDING and a wrong one FAILED, with the reason", async () => {
      const artifact = await writeLinearModelArtifact(dir, [0.5, 2], 1);
      const ready = await app.graphql(REGISTER, {
        input: { namespace: "serving", model: "ready", artifactUri: artifact.uri, artifactSha256: artifact.sha256 },
      });
      expect(ready.data!.registerModelVersion.modelVersion).toMatchObject({ status: "READY", statusReason: null });

      const remote = await app.graphql(REGISTER, {
        input: { namespace: "serving", model: "remote", artifactUri: "s3://models/remote.onnx", artifactSha256: sha(7) },
      });
      expect(remote.data!.registerModelVersion.modelVersion).toMatchObject({ status: "PENDING" });
      expect(remote.data!.registerModelVersion.modelVersion.statusReason).toContain("not a local file");

      const mismatch = await app.graphql(REGISTER, {
        input: { namespace: "serving", model: "mismatch", artifactUri: artifact.uri, artifactSha256: sha(8) },
      });
      expect(mismatch.data!.registerModelVersion.modelVersion).toMatchObject({ status: "FAILED" });
      expect(mismatch.data!.registerModelVersion.modelVersion.statusReason).toContain(artifact.sha256);

      const garbagePath = join(dir, "garbage.onnx");
      await writeFile(garbagePath, "not a model");
      const { createHash } = await import("node:crypto");
      const garbage = await app.graphql(REGISTER, {
        input: {
          namespace: "serving",
          model: "garbage",
          artifactUri: pathToFileURL(garbagePath).href,
          artifactSha256: createHash("sha256").update("not a model").digest("hex"),
        },
      });
      expect(garbage.data!.registerModelVersion.modelVersion).toMatchObject({ status: "FAILED" });
      expect(garbage.data!.registerModelVersion.modelVersion.statusReason).toContain("does not load as an ONNX model");
    });

    it("turns a PENDING version READY once its file arrives (verifyModelVersion, or registering it again)", async () => {
      const later = await writeLinearModelArtifact(dir, [3, 3], 3);
      const missingPath = join(dir, "arrives-later.onnx");
      const uri = pathToFileURL(missingPath).href;
      const first = await app.graphql(REGISTER, {
        input: { namespace: "serving", model: "later", artifactUri: uri, artifactSha256: later.sha256 },
      });
      const version = first.data!.registerModelVersion.modelVersion;
      expect(version).toMatchObject({ status: "PENDING" });
      expect(version.statusReason).toContain("does not exist");

      const { readFile } = await import("node:fs/promises");
      await writeFile(missingPath, await readFile(later.path));
      const verified = await app.graphql(`mutation($id: ID!) { verifyModelVersion(id: $id) { id status statusReason } }`, {
        id: version.id,
      });
      expect(verified.errors).toBeUndefined();
      expect(verified.data!.verifyModelVersion).toEqual({ id: version.id, status: "READY", statusReason: null });
      const { rows } = await app.db.pool.query(
        "SELECT count(*)::int AS n FROM audit_event WHERE action = 'model_version.status_changed' AND target_id = $1",
        [keyOf(version.id)],
      );
      expect(rows[0].n).toBe(1);
    });

    it("refuses to deploy a version that is not READY (createDeployment, setDeploymentTraffic, rollout) and writes nothing", async () => {
      const pending = await fixtures.pendingModelVersion();
      const { deploymentId, name } = await deploymentWithCanary();
      const before = await app.countRows(WRITE_TABLES);

      const created = await app.graphql(CREATE, {
        input: {
          namespace: "serving",
          name: "never",
          environment: "production",
          trafficSplit: [{ modelVersionId: pending, percent: 100 }],
        },
      });
      expect(created.errors?.[0]?.extensions).toMatchObject({
        code: "BAD_USER_INPUT",
        field: "input.trafficSplit[0].modelVersionId",
        status: "PENDING",
      });
      expect(created.errors?.[0]?.message).toContain("not READY");

      const set = await app.graphql(SET_TRAFFIC, {
        input: { deploymentId, trafficSplit: [{ modelVersionId: pending, percent: 100 }] },
      });
      expect(set.errors?.[0]?.extensions).toMatchObject({
        code: "BAD_USER_INPUT",
        field: "input.trafficSplit[0].modelVersionId",
      });

      const rollout = await app.graphql(ROLLOUT, { input: { deploymentId, modelVersionId: pending, canaryPercent: 10 } });
      expect(rollout.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.modelVersionId" });

      expect(await app.countRows(WRITE_TABLES)).toEqual(before);
      const state = await app.graphql(DEPLOYMENT, { name });
      expect(state.data!.deployment).toMatchObject({ revisions: { totalCount: 1 }, activeRollout: null });
    });
  });

  describe("the rollout job", () => {
    it("promotes a canary that stays healthy over the window, with revisions, audit events, lineage and events", async () => {
      const { name, deploymentId, baseline, canary } = await deploymentWithCanary();
      const events = app.services.events.subscribe(deploymentEventsTopic(keyOf(deploymentId)));
      const started = await startRollout({
        deploymentId,
        modelVersionId: canary,
        canaryPercent: 20,
        windowSeconds: 2,
        maxP99Ms: 150,
        reason: "new ranker",
      });
      expect(started).toMatchObject({
        rollout: {
          state: "CANARY",
          canaryPercent: 20,
          windowSeconds: 2,
          maxP99Ms: 150,
          maxErrorRate: 0.01,
          startRevision: 2,
          canaryModelVersion: { id: canary },
          baselineModelVersion: { id: baseline },
        },
        revision: {
          revision: 2,
          trafficSplit: [
            { percent: 80, modelVersion: { id: baseline } },
            { percent: 20, modelVersion: { id: canary } },
          ],
        },
        job: { queue: "serving", name: "rollout-check" },
      });
      expect(started.revision.reason).toMatch(/^Canary rollout: model version \d+ at 20% — new ranker$/);

      await serve(deploymentId, canary, 400, 2, 12);
      const done = await waitForRollout(name, "PROMOTED");
      expect(done.currentRevision).toMatchObject({
        revision: 3,
        actor: "worker:rollout",
        trafficSplit: [{ percent: 100, modelVersion: { id: canary } }],
      });
      expect(done.currentRevision.reason).toMatch(
        /^Canary promoted to 100%: Canary healthy over the 2 s window \(400 requests, 2 errors/,
      );
      const rollout = done.rollouts.edges[0].node;
      expect(rollout).toMatchObject({
        state: "PROMOTED",
        endRevision: 3,
        lastHealth: { requests: 400, errors: 2, errorRate: 0.005 },
      });
      expect(done.activeRollout).toBeNull();
      // Promotion waits for the whole window.
      const { rows: timing } = await app.db.pool.query(
        "SELECT extract(epoch FROM ended_at - started_at)::float AS seconds FROM rollout WHERE id = $1",
        [rollout.id],
      );
      expect(timing[0].seconds).toBeGreaterThanOrEqual(2);

      const { rows: audit } = await app.db.pool.query(
        `SELECT action, actor FROM audit_event WHERE target_id IN ($1, $2) AND action LIKE 'rollout.%' ORDER BY id`,
        [keyOf(deploymentId), rollout.id],
      );
      expect(audit).toEqual([
        { action: "rollout.started", actor: "anonymous" },
        { action: "rollout.promoted", actor: "worker:rollout" },
      ]);
      const serves = await fixtures.servesEdges(deploymentId);
      expect(serves.filter((edge) => edge.valid_to === null).map((edge) => [edge.upstream, edge.percent])).toEqual([
        [keyOf(canary), 100],
      ]);
      expect(serves).toHaveLength(4);

      const kinds: string[] = [];
      for await (const payload of events) {
        kinds.push((payload as DeploymentEvent).kind);
        if (kinds.length === 2) break;
      }
      expect(kinds).toEqual(["ROLLOUT_STARTED", "PROMOTED"]);
    });

    it("rolls back at once when the canary's error rate is above 1%, with the reason on the revision", async () => {
      const { name, deploymentId, baseline, canary } = await deploymentWithCanary();
      await startRollout({ deploymentId, modelVersionId: canary, canaryPercent: 10, windowSeconds: 600 });
      await serve(deploymentId, canary, 200, 4, 5);
      const done = await waitForRollout(name, "ROLLED_BACK");
      expect(done.currentRevision).toMatchObject({
        revision: 3,
        trafficSplit: [{ percent: 100, modelVersion: { id: baseline } }],
      });
      expect(done.currentRevision.reason).toContain("Canary error rate 2% is above the limit of 1%");
      expect(done.rollouts.edges[0].node).toMatchObject({ state: "ROLLED_BACK", endRevision: 3 });
      expect(done.rollouts.edges[0].node.reason).toContain("error rate 2%");
    });

    it("rolls back when the canary's p99 latency is above the configured limit", async () => {
      const { name, deploymentId, baseline, canary } = await deploymentWithCanary();
      await startRollout({ deploymentId, modelVersionId: canary, canaryPercent: 25, windowSeconds: 600, maxP99Ms: 200 });
      await serve(deploymentId, baseline, 300, 0, 5);
      await serve(deploymentId, canary, 100, 0, 450);
      const done = await waitForRollout(name, "ROLLED_BACK");
      expect(done.currentRevision.trafficSplit).toEqual([{ percent: 100, modelVersion: { id: baseline } }]);
      expect(done.currentRevision.reason).toMatch(/Canary p99 latency [\d.]+ ms is above the limit of 200 ms/);
      expect(done.rollouts.edges[0].node.lastHealth.p99Ms).toBeGreaterThan(200);
    });

    it("aborts back to the baseline when the canary served too few requests over the window", async () => {
      const { name, deploymentId, baseline, canary } = await deploymentWithCanary();
      await startRollout({ deploymentId, modelVersionId: canary, canaryPercent: 5, windowSeconds: 1, minRequests: 50 });
      await serve(deploymentId, canary, 3, 0, 5);
      const done = await waitForRollout(name, "ABORTED");
      expect(done.currentRevision.trafficSplit).toEqual([{ percent: 100, modelVersion: { id: baseline } }]);
      expect(done.rollouts.edges[0].node.reason).toContain("at least 50");
    });

    it("writes one revision however often a decision is taken or a check job runs", async () => {
      const { name, deploymentId, canary } = await deploymentWithCanary();
      const started = await startRollout({ deploymentId, modelVersionId: canary, canaryPercent: 10, windowSeconds: 3600 });
      const rolloutId = started.rollout.id as string;
      const meta = { actor: { name: "worker:rollout" }, requestId: "test", clientAddress: undefined };
      const decision = { action: "PROMOTE" as const, reason: "verdict" };
      const outcomes = await Promise.all([
        app.services.rollouts.conclude(meta, rolloutId, decision),
        app.services.rollouts.conclude(meta, rolloutId, decision),
      ]);
      expect(outcomes.map((outcome) => outcome.changed).sort()).toEqual([false, true]);
      const handler = rolloutCheckHandler(app.services, { checkIntervalMs: 0 });
      const context = { jobId: started.job.id, attempt: 1, dueAt: new Date(), reportProgress: async () => undefined };
      const runs = [await handler.run({ rolloutId }, context), await handler.run({ rolloutId }, context)];
      for (const run of runs) expect(run).toMatchObject({ state: "PROMOTED", action: "NONE", changed: false });
      const state = await app.graphql(DEPLOYMENT, { name });
      expect(state.data!.deployment.revisions.totalCount).toBe(3);
    });
  });

  describe("promote and rollback by hand", () => {
    it("promotes and rolls back the rollout in progress, refuses a second rollout and an empty rollback", async () => {
      const first = await deploymentWithCanary();
      await startRollout({
        deploymentId: first.deploymentId,
        modelVersionId: first.canary,
        canaryPercent: 50,
        windowSeconds: 3600,
      });

      const before = await app.countRows(WRITE_TABLES);
      const again = await app.graphql(ROLLOUT, {
        input: { deploymentId: first.deploymentId, modelVersionId: first.canary, canaryPercent: 10 },
      });
      expect(again.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", field: "input.deploymentId" });
      const badPercent = await app.graphql(ROLLOUT, {
        input: { deploymentId: first.deploymentId, modelVersionId: first.canary, canaryPercent: 100 },
      });
      expect(badPercent.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.canaryPercent" });
      const emptyReason = await app.graphql(ROLLBACK, { input: { deploymentId: first.deploymentId, reason: " " } });
      expect(emptyReason.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.reason" });
      expect(await app.countRows(WRITE_TABLES)).toEqual(before);

      const promoted = await app.graphql(PROMOTE, { input: { deploymentId: first.deploymentId, reason: "looks good" } });
      expect(promoted.errors).toBeUndefined();
      expect(promoted.data!.promote).toMatchObject({
        rollout: { state: "PROMOTED", endRevision: 3, reason: "looks good" },
        revision: {
          revision: 3,
          reason: "Canary promoted to 100%: looks good",
          trafficSplit: [{ percent: 100, modelVersion: { id: first.canary } }],
        },
      });
      const noRollout = await app.graphql(PROMOTE, { input: { deploymentId: first.deploymentId } });
      expect(noRollout.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT" });

      const second = await deploymentWithCanary();
      await startRollout({
        deploymentId: second.deploymentId,
        modelVersionId: second.canary,
        canaryPercent: 30,
        windowSeconds: 3600,
      });
      const rolledBack = await app.graphql(ROLLBACK, {
        input: { deploymentId: second.deploymentId, reason: "bad offline eval" },
      });
      expect(rolledBack.errors).toBeUndefined();
      expect(rolledBack.data!.rollback).toMatchObject({
        rollout: { state: "ROLLED_BACK", reason: "bad offline eval" },
        revision: {
          revision: 3,
          reason: "Canary rolled back: bad offline eval",
          trafficSplit: [{ percent: 100, modelVersion: { id: second.baseline } }],
        },
      });
    });

    it("ends a rollout in progress as ABORTED when setDeploymentTraffic overrides it", async () => {
      const { name, deploymentId, baseline, canary } = await deploymentWithCanary();
      await startRollout({ deploymentId, modelVersionId: canary, canaryPercent: 40, windowSeconds: 3600 });
      const set = await app.graphql(SET_TRAFFIC, {
        input: { deploymentId, trafficSplit: [{ modelVersionId: baseline, percent: 100 }], reason: "incident" },
      });
      expect(set.errors).toBeUndefined();
      const state = await app.graphql(DEPLOYMENT, { name });
      expect(state.data!.deployment).toMatchObject({ activeRollout: null, revisions: { totalCount: 3 } });
      expect(state.data!.deployment.rollouts.edges[0].node).toMatchObject({ state: "ABORTED", endRevision: 3 });
    });
  });
});
