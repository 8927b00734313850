import { randomUUID } from "node:crypto";
import type { ChangeRecorder } from "../audit/change-recorder.js";
import type { Database } from "../db/database.js";
import { runInTransaction, type Transaction } from "../db/transaction.js";
import { EntityNotFoundError, InputInvalidError } from "../errors/common-errors.js";
import type { RequestMeta } from "../graphql/context.js";
import { encodeNodeId } from "../graphql/node-id.js";
import type { ModelVersionService } from "../model/model-version.service.js";
import type { QueueJobRow } from "../queue/queue-job.repository.js";
import type { QueueRuntime } from "../queue/queue-runtime.js";
import { QueueUnavailableError } from "../queue/queue.errors.js";
import { ROLLOUT_CHECK_ATTEMPTS, ROLLOUT_CHECK_JOB, ROLLOUT_QUEUE } from "../../workers/jobs/rollout.job.js";
import { type CanaryDecision, decideCanary } from "./canary-decision.js";
import type { DeploymentEventKind, DeploymentEventPublisher } from "./deployment-events.js";
import { DeploymentNotFoundError } from "./deployment.errors.js";
import type { DeploymentRecord, DeploymentRepository, DeploymentRevisionRecord } from "./deployment.repository.js";
import type { DeploymentService, TrafficShareCommand } from "./deployment.service.js";
import { MAX_ROLLOUT_WINDOW_SECONDS, type RolloutSettings } from "./rollout-settings.js";
import { NoRolloutInProgressError, RolloutInProgressError } from "./rollout.errors.js";
import type { CanaryStats, RolloutRecord, RolloutRepository, RolloutState } from "./rollout.repository.js";
import type { TrafficShareRecord } from "./traffic-split.js";

/** A reference as the service uses it (row key) and as the client gave it (for errors). */
export interface RolloutReference {
  id: string;
  shownAs: string;
}

export interface StartRolloutCommand {
  deployment: RolloutReference;
  modelVersion: RolloutReference;
  /** Share of traffic the canary gets: above 0, below 100. */
  canaryPercent: number;
  windowSeconds?: number | undefined;
  maxP99Ms?: number | undefined;
  maxErrorRate?: number | undefined;
  minRequests?: number | undefined;
  reason: string | null;
}

export interface RolloutChange {
  rollout: RolloutRecord;
  revision: DeploymentRevisionRecord | null;
  /** False when nothing was written (the rollout had already ended). */
  changed: boolean;
}

/** Where the canary's health comes from: SERVING's persisted statistics (ServingStatsRepository). */
export interface CanaryStatsSource {
  window(deploymentId: string, modelVersionId: string | null, from: Date, to: Date): Promise<CanaryStats>;
}

export interface RolloutCheck {
  rollout: RolloutRecord;
  stats: CanaryStats;
  decision: CanaryDecision;
  /** When the window ends (promotion is due). */
  windowEndsAt: Date;
}

const ROUNDING = 1e6;

/**
 * The split during a canary: the canary gets `canaryPercent`, the other versions share the rest
 * in their current proportions (rounded to 1e-6; the last share takes the remainder).
 */
export function canarySplit(
  current: readonly TrafficShareRecord[],
  canaryId: string,
  canaryPercent: number,
): TrafficShareRecord[] {
  const others = current.filter((share) => share.modelVersionId !== canaryId);
  const total = others.reduce((sum, share) => sum + share.percent, 0);
  const rest = 100 - canaryPercent;
  const shares = others.map((share) => ({
    modelVersionId: share.modelVersionId,
    percent: Math.round(((share.percent * rest) / total) * ROUNDING) / ROUNDING,
  }));
  const assigned = shares.slice(0, -1).reduce((sum, share) => sum + share.percent, 0);
  shares[shares.length - 1]!.percent = Math.round((rest - assigned) * ROUNDING) / ROUNDING;
  return [...shares, { modelVersionId: canaryId, percent: canaryPercent }];
}

/**
 * How long until a rollout's next health check: one check interval, never past the end of the
 * window (the check job is queued with this delay rather than waiting inside a worker).
 */
export function nextCheckDelayMs(
  rollout: Pick<RolloutRecord, "startedAt" | "windowSeconds">,
  checkIntervalMs: number,
  now: number,
): number {
  const windowEndsAt = rollout.startedAt.getTime() + rollout.windowSeconds * 1000;
  return Math.max(0, Math.min(checkIntervalMs, windowEndsAt - now));
}

const ENDED_STATE: Record<Exclude<CanaryDecision["action"], "WAIT">, Exclude<RolloutState, "CANARY">> = {
  PROMOTE: "PROMOTED",
  ROLLBACK: "ROLLED_BACK",
  ABORT: "ABORTED",
};

const EVENT_KIND: Record<Exclude<RolloutState, "CANARY">, DeploymentEventKind> = {
  PROMOTED: "PROMOTED",
  ROLLED_BACK: "ROLLED_BACK",
  ABORTED: "ROLLOUT_ABORTED",
};

/**
 * Canary rollouts: `start` moves part of a deployment's traffic to a READY model version and
 * queues the first health-check job, delayed by one check interval; `promote`, `rollback` (by a person) and `conclude` (by the job)
 * end it. Every change writes a deployment revision (SERVES lineage edges move), the rollout
 * record and audit events in one transaction under the deployment's lock, so a decision taken
 * twice writes once. Events are published after the commit.
 */
export class RolloutService {
  constructor(
    private readonly db: Database,
    private readonly deployments: DeploymentRepository,
    private readonly rollouts: RolloutRepository,
    private readonly deploymentService: DeploymentService,
    private readonly modelVersions: ModelVersionService,
    private readonly queues: QueueRuntime,
    private readonly recorder: ChangeRecorder,
    private readonly events: DeploymentEventPublisher,
    readonly settings: RolloutSettings,
    private readonly stats: CanaryStatsSource,
  ) {}

  async start(meta: RequestMeta, command: StartRolloutCommand): Promise<RolloutChange & { job: QueueJobRow }> {
    const thresholds = this.thresholdsOf(command);
    if (!(command.canaryPercent > 0 && command.canaryPercent < 100)) {
      throw new InputInvalidError("input.canaryPercent", `must be above 0 and below 100; got ${command.canaryPercent}.`);
    }
    const { rollout, revision, deployment } = await runInTransaction(this.db, async (tx) => {
      const deployment = await this.lockedDeployment(tx, command.deployment, "input.deploymentId");
      const active = await this.rollouts.active(tx, deployment.id);
      if (active) throw new RolloutInProgressError(command.deployment.shownAs, active.startRevision);
      const current = await this.deployments.latestRevision(tx, deployment.id);
      if (!current) {
        throw new InputInvalidError(
          "input.deploymentId",
          "names a deployment with no traffic split yet; a canary needs a baseline to roll back to (set one with setDeploymentTraffic).",
        );
      }
      const baseline = current.trafficSplit.filter((share) => share.modelVersionId !== command.modelVersion.id);
      if (baseline.length === 0) {
        throw new InputInvalidError(
          "input.modelVersionId",
          `already serves all of the deployment's traffic; "${command.modelVersion.shownAs}" cannot be its own canary.`,
        );
      }
      const [canary] = await this.modelVersions.findScoped(tx, [command.modelVersion.id]);
      if (!canary) throw new EntityNotFoundError("Model version", command.modelVersion.shownAs, "input.modelVersionId");
      const split = canarySplit(current.trafficSplit, command.modelVersion.id, command.canaryPercent);
      const baselineVersion = [...baseline].sort((a, b) => b.percent - a.percent)[0]!;
      const reason =
        `Canary rollout: model version ${canary.version} at ${command.canaryPercent}%` +
        (command.reason ? ` — ${command.reason}` : ".");
      const revision = await this.deploymentService.reviseInTransaction(
        tx,
        meta,
        deployment,
        split.map((share) => this.shareCommand(share, command.modelVersion, "input.modelVersionId")),
        reason,
      );
      const rollout = await this.rollouts.create(tx, {
        id: randomUUID(),
        deploymentId: deployment.id,
        canaryModelVersionId: command.modelVersion.id,
        baselineModelVersionId: baselineVersion.modelVersionId,
        baselineSplit: current.trafficSplit,
        canaryPercent: command.canaryPercent,
        windowSeconds: command.windowSeconds ?? this.settings.windowSeconds,
        ...thresholds,
        startRevision: revision.revision,
        actor: meta.actor.name,
        startedAt: revision.createdAt,
      });
      await this.recorder.record(tx, meta, {
        action: "rollout.started",
        target: { kind: "Deployment", id: deployment.id, namespaceId: deployment.namespaceId },
        after: rollout,
        at: revision.createdAt,
      });
      return { rollout, revision, deployment };
    });

    let job: QueueJobRow;
    try {
      // The first check is due one interval in (never past the end of the window).
      job = await this.queues.dispatch(
        ROLLOUT_QUEUE,
        ROLLOUT_CHECK_JOB,
        { rolloutId: rollout.id },
        { attempts: ROLLOUT_CHECK_ATTEMPTS, delayMs: nextCheckDelayMs(rollout, this.settings.checkIntervalMs, Date.now()) },
      );
    } catch (error) {
      // Without its health checks a canary must not keep serving: back to the baseline, then say why.
      if (error instanceof QueueUnavailableError) {
        await this.end(meta, rollout.id, "ABORTED", `The health checks could not be queued: ${error.message}`, "rollout");
      }
      throw error;
    }
    // The job may have claimed the checks already (it starts at once); either way it holds them.
    await this.rollouts.moveCheckJob(rollout.id, null, job.id);
    await this.events.revisionWritten(
      "ROLLOUT_STARTED",
      deployment.id,
      revision,
      `Revision ${revision.revision}: ${revision.reason}`,
      meta.actor.name,
    );
    return { rollout: { ...rollout, checkJobId: job.id }, revision, changed: true, job };
  }

  /** Moves all traffic to the canary of the rollout in progress. */
  async promote(meta: RequestMeta, deployment: RolloutReference, reason: string | null): Promise<RolloutChange> {
    const rollout = await this.activeOf(deployment, "input.deploymentId");
    return this.end(meta, rollout.id, "PROMOTED", reason ?? "Promoted by hand.", "person");
  }

  /** Restores the split that served before the rollout in progress. */
  async rollback(meta: RequestMeta, deployment: RolloutReference, reason: string): Promise<RolloutChange> {
    if (reason.trim() === "") throw new InputInvalidError("input.reason", "must say why the canary is rolled back.");
    const rollout = await this.activeOf(deployment, "input.deploymentId");
    return this.end(meta, rollout.id, "ROLLED_BACK", reason, "person");
  }

  /** The health-check job's verdict; a rollout that already ended is left as it is (changed: false). */
  async conclude(meta: RequestMeta, rolloutId: string, decision: CanaryDecision): Promise<RolloutChange> {
    if (decision.action === "WAIT") throw new RangeError("a WAIT decision ends nothing");
    return this.end(meta, rolloutId, ENDED_STATE[decision.action], decision.reason, "job");
  }

  /**
   * One health check: the canary's statistics from the rollout's start to `at`, stored on the
   * rollout, and what they call for. Null when the rollout does not exist; a rollout that has
   * ended is returned with a WAIT decision that nobody acts on (callers check its state).
   */
  async check(rolloutId: string, at: Date): Promise<RolloutCheck | null> {
    const rollout = await this.rollouts.findById(undefined, rolloutId);
    if (!rollout) return null;
    const windowMs = rollout.windowSeconds * 1000;
    const windowEndsAt = new Date(rollout.startedAt.getTime() + windowMs);
    const stats = await this.stats.window(rollout.deploymentId, rollout.canaryModelVersionId, rollout.startedAt, at);
    const decision = decideCanary(stats, rollout, { elapsedMs: at.getTime() - rollout.startedAt.getTime(), windowMs });
    if (rollout.state === "CANARY") await this.rollouts.recordCheck(rollout.id, stats, at);
    return { rollout, stats, decision, windowEndsAt };
  }

  /**
   * Hands the health checks from one job to the next: succeeds only for the job that holds them,
   * so a retried job cannot start a second chain of checks.
   */
  handOverChecks(rolloutId: string, fromJobId: string | null, toJobId: string): Promise<boolean> {
    return this.rollouts.moveCheckJob(rolloutId, fromJobId, toJobId);
  }

  find(rolloutId: string): Promise<RolloutRecord | null> {
    return this.rollouts.findById(undefined, rolloutId);
  }

  /** Every rollout of the deployments, newest first within each (for per-request loaders). */
  listByDeploymentIds(deploymentIds: readonly string[]): Promise<RolloutRecord[]> {
    return this.rollouts.findByDeploymentIds(deploymentIds);
  }

  private async activeOf(deployment: RolloutReference, field: string): Promise<RolloutRecord> {
    const active = await this.db.prisma.$transaction(async (tx) => {
      if (!(await this.deployments.findById(tx, deployment.id))) throw new DeploymentNotFoundError(deployment.shownAs, field);
      return this.rollouts.active(tx, deployment.id);
    });
    if (!active) throw new NoRolloutInProgressError(deployment.shownAs, field);
    return active;
  }

  /**
   * Ends a rollout with a new revision: PROMOTED serves the canary alone, ROLLED_BACK and ABORTED
   * restore the baseline split. Under the deployment's lock the rollout is read again, so that of
   * two concurrent decisions (two job runs, a person and the job) only the first writes.
   */
  private async end(
    meta: RequestMeta,
    rolloutId: string,
    state: Exclude<RolloutState, "CANARY">,
    reason: string,
    by: "person" | "job" | "rollout",
  ): Promise<RolloutChange> {
    const outcome = await runInTransaction(this.db, async (tx) => {
      const stored = await this.rollouts.findById(tx, rolloutId);
      if (!stored) throw new EntityNotFoundError("Rollout", rolloutId);
      const deployment = await this.lockedDeployment(
        tx,
        { id: stored.deploymentId, shownAs: encodeNodeId("Deployment", stored.deploymentId) },
        "input.deploymentId",
      );
      const rollout = await this.rollouts.findById(tx, rolloutId);
      if (rollout?.state !== "CANARY") {
        if (by === "person") throw new NoRolloutInProgressError(encodeNodeId("Deployment", deployment.id), "input.deploymentId");
        return { rollout: rollout ?? stored, revision: null, changed: false, deployment };
      }
      const canary = { id: rollout.canaryModelVersionId, shownAs: encodeNodeId("ModelVersion", rollout.canaryModelVersionId) };
      const split: TrafficShareRecord[] =
        state === "PROMOTED" ? [{ modelVersionId: rollout.canaryModelVersionId, percent: 100 }] : rollout.baselineSplit;
      const verb = { PROMOTED: "promoted to 100%", ROLLED_BACK: "rolled back", ABORTED: "aborted" }[state];
      const revision = await this.deploymentService.reviseInTransaction(
        tx,
        meta,
        deployment,
        split.map((share) => this.shareCommand(share, canary, "input.deploymentId")),
        `Canary ${verb}: ${reason}`,
        // Going back to what served before must always be possible.
        { requireReady: state === "PROMOTED" },
      );
      const ended = await this.rollouts.finish(tx, rollout.id, {
        state,
        endRevision: revision.revision,
        reason,
        endedAt: revision.createdAt,
      });
      await this.recorder.record(tx, meta, {
        action: `rollout.${state.toLowerCase()}`,
        target: { kind: "Deployment", id: deployment.id, namespaceId: deployment.namespaceId },
        before: rollout,
        after: ended,
        at: revision.createdAt,
      });
      return { rollout: ended, revision, changed: true, deployment };
    });
    if (outcome.changed && outcome.revision) {
      await this.events.revisionWritten(
        EVENT_KIND[state],
        outcome.deployment.id,
        outcome.revision,
        `Revision ${outcome.revision.revision}: ${outcome.revision.reason}`,
        meta.actor.name,
      );
    }
    return { rollout: outcome.rollout, revision: outcome.revision, changed: outcome.changed };
  }

  private async lockedDeployment(tx: Transaction, reference: RolloutReference, field: string): Promise<DeploymentRecord> {
    const deployment = (await this.deployments.lock(tx, reference.id)) ? await this.deployments.findById(tx, reference.id) : null;
    if (!deployment) throw new DeploymentNotFoundError(reference.shownAs, field);
    return deployment;
  }

  private shareCommand(share: TrafficShareRecord, canary: RolloutReference, canaryField: string): TrafficShareCommand {
    const isCanary = share.modelVersionId === canary.id;
    return {
      ...share,
      shownAs: isCanary ? canary.shownAs : encodeNodeId("ModelVersion", share.modelVersionId),
      field: isCanary ? canaryField : "input.deploymentId",
    };
  }

  private thresholdsOf(command: StartRolloutCommand) {
    const windowSeconds = command.windowSeconds ?? this.settings.windowSeconds;
    if (!Number.isInteger(windowSeconds) || windowSeconds < 1 || windowSeconds > MAX_ROLLOUT_WINDOW_SECONDS) {
      throw new InputInvalidError(
        "input.windowSeconds",
        `must be a whole number of seconds from 1 to ${MAX_ROLLOUT_WINDOW_SECONDS}; got ${windowSeconds}.`,
      );
    }
    const maxP99Ms = command.maxP99Ms ?? this.settings.maxP99Ms;
    if (!(Number.isFinite(maxP99Ms) && maxP99Ms > 0)) {
      throw new InputInvalidError("input.maxP99Ms", `must be a positive number of milliseconds; got ${maxP99Ms}.`);
    }
    const maxErrorRate = command.maxErrorRate ?? this.settings.maxErrorRate;
    if (!(Number.isFinite(maxErrorRate) && maxErrorRate >= 0 && maxErrorRate < 1)) {
      throw new InputInvalidError("input.maxErrorRate", `must be a fraction from 0 to below 1; got ${maxErrorRate}.`);
    }
    const minRequests = command.minRequests ?? this.settings.minRequests;
    if (!(Number.isInteger(minRequests) && minRequests >= 0)) {
      throw new InputInvalidError("input.minRequests", `must be a whole number ≥ 0; got ${minRequests}.`);
    }
    return { maxP99Ms, maxErrorRate, minRequests };
  }
}
