import type { ChangeRecorder } from "../audit/change-recorder.js";
import type { Database } from "../db/database.js";
import { runInTransaction, type Transaction } from "../db/transaction.js";
import { EntityNotFoundError, InputInvalidError } from "../errors/common-errors.js";
import type { RequestMeta } from "../graphql/context.js";
import { type PageRequest, type SortDirection, paginate } from "../lib/paginate.js";
import type { ModelVersionService } from "../model/model-version.service.js";
import type { NamespaceService } from "../namespace/namespace.service.js";
import {
  DeploymentEnvironmentConflictError,
  DeploymentNotFoundError,
  DeploymentTrafficConflictError,
  ModelVersionNotReadyError,
} from "./deployment.errors.js";
import type { DeploymentFilter, DeploymentRecord, DeploymentRepository } from "./deployment.repository.js";
import { DeploymentEventPublisher } from "./deployment-events.js";
import type { RolloutRepository } from "./rollout.repository.js";
import { type TrafficShareRecord, checkTrafficSplit } from "./traffic-split.js";

/** A share as the caller sent it: the row key plus the client's id, quoted in errors. */
export interface TrafficShareCommand extends TrafficShareRecord {
  shownAs: string;
  /** Input path named in errors about this share. @defaultValue input.trafficSplit[i].modelVersionId */
  field?: string;
}

export interface CreateDeploymentCommand {
  namespace: string;
  name: string;
  environment: string;
  description: string | null;
  /** When given, revision 1 is written with this split. */
  trafficSplit?: TrafficShareCommand[] | undefined;
  reason: string | null;
}

/** Whether two splits give the same model versions the same percents (in any order). */
function sameSplit(current: readonly TrafficShareRecord[], given: readonly TrafficShareRecord[]): boolean {
  const percents = new Map(current.map((share) => [share.modelVersionId, share.percent]));
  return current.length === given.length && given.every((share) => percents.get(share.modelVersionId) === share.percent);
}

export class DeploymentService {
  constructor(
    private readonly db: Database,
    private readonly deployments: DeploymentRepository,
    private readonly namespaces: NamespaceService,
    private readonly modelVersions: ModelVersionService,
    private readonly recorder: ChangeRecorder,
    /** Rollouts in progress end (ABORTED) when a traffic change overrides them. */
    private readonly rollouts?: RolloutRepository,
    readonly events: DeploymentEventPublisher = new DeploymentEventPublisher(undefined),
  ) {}

  /**
   * Creates a deployment. An existing deployment of that name in the same environment is returned
   * unchanged (`created: false`) when the call gives no traffic split or the one it serves; another
   * environment or another split is a CONFLICT (setTraffic changes a split).
   */
  async create(meta: RequestMeta, command: CreateDeploymentCommand) {
    if (command.trafficSplit) checkTrafficSplit(command.trafficSplit);
    const result = await runInTransaction(this.db, async (tx) => {
      const namespace = await this.namespaces.ensure(tx, meta, command.namespace);
      const existing = await this.deployments.findByName(tx, namespace.id, command.name);
      if (existing) {
        if (existing.environment !== command.environment) {
          throw new DeploymentEnvironmentConflictError(command.name, existing.environment, command.environment);
        }
        if (command.trafficSplit) {
          await this.deployments.lock(tx, existing.id);
          const current = await this.deployments.latestRevision(tx, existing.id);
          if (!current || !sameSplit(current.trafficSplit, command.trafficSplit)) {
            throw new DeploymentTrafficConflictError(command.name, current?.revision ?? null);
          }
        }
        return { deployment: existing, created: false, revision: null };
      }
      const deployment = await this.deployments.create(tx, {
        namespaceId: namespace.id,
        name: command.name,
        environment: command.environment,
        description: command.description,
      });
      await this.recorder.record(tx, meta, {
        action: "deployment.created",
        target: { kind: "Deployment", id: deployment.id, namespaceId: namespace.id },
        after: deployment,
      });
      const revision = command.trafficSplit
        ? await this.reviseInTransaction(tx, meta, deployment, command.trafficSplit, command.reason)
        : null;
      return { deployment, created: true, revision };
    });
    if (result.created) {
      await this.events.revisionWritten(
        "CREATED",
        result.deployment.id,
        result.revision,
        `Deployment "${result.deployment.name}" created in ${result.deployment.environment}.`,
        meta.actor.name,
      );
    }
    return { deployment: result.deployment, created: result.created };
  }

  update(
    meta: RequestMeta,
    id: string,
    shownAs: string,
    input: { description?: string | null | undefined; environment?: string | undefined },
  ) {
    return runInTransaction(this.db, async (tx) => {
      const before = (await this.deployments.lock(tx, id)) ? await this.deployments.findById(tx, id) : null;
      if (!before) throw new DeploymentNotFoundError(shownAs, "input.id");
      const after = await this.deployments.update(tx, id, input);
      await this.recorder.record(tx, meta, {
        action: "deployment.updated",
        target: { kind: "Deployment", id, namespaceId: after.namespaceId },
        before,
        after,
      });
      return after;
    });
  }

  /**
   * Writes the next revision of a deployment's traffic split and moves its lineage: the current
   * SERVES edges close and one opens per share, so "what served at time T" can be answered.
   */
  async setTraffic(
    meta: RequestMeta,
    deploymentId: string,
    shownAs: string,
    shares: TrafficShareCommand[],
    reason: string | null,
  ) {
    checkTrafficSplit(shares);
    const { revision, abortedRollout } = await runInTransaction(this.db, async (tx) => {
      const deployment = (await this.deployments.lock(tx, deploymentId))
        ? await this.deployments.findById(tx, deploymentId)
        : null;
      if (!deployment) throw new DeploymentNotFoundError(shownAs, "input.deploymentId");
      const written = await this.reviseInTransaction(tx, meta, deployment, shares, reason);
      // A manual split overrides a canary in progress: its health checks must not undo this revision.
      const active = await this.rollouts?.active(tx, deployment.id);
      if (active) {
        const ended = await this.rollouts!.finish(tx, active.id, {
          state: "ABORTED",
          endRevision: written.revision,
          reason: `Superseded by a traffic change (revision ${written.revision}).`,
          endedAt: written.createdAt,
        });
        await this.recorder.record(tx, meta, {
          action: "rollout.aborted",
          target: { kind: "Deployment", id: deployment.id, namespaceId: deployment.namespaceId },
          before: active,
          after: ended,
          at: written.createdAt,
        });
      }
      return { revision: written, abortedRollout: Boolean(active) };
    });
    await this.events.revisionWritten(
      "TRAFFIC_CHANGED",
      deploymentId,
      revision,
      `Revision ${revision.revision}: traffic split set${abortedRollout ? " (the canary rollout in progress was aborted)" : ""}${reason ? ` — ${reason}` : ""}.`,
      meta.actor.name,
    );
    return revision;
  }

  /** The deployment called `name` in the namespace called `namespace`, or null. */
  findByQualifiedName(namespace: string, name: string): Promise<DeploymentRecord | null> {
    return this.deployments.findByQualifiedName(namespace, name);
  }

  async list(filter: DeploymentFilter, page: PageRequest, field: "name" | "createdAt" | "updatedAt", direction: SortDirection) {
    const result = await paginate<DeploymentRecord>(page, field, direction, (query) => this.deployments.list(filter, query));
    return { page: result, count: () => this.deployments.count(filter) };
  }

  /**
   * Writes the next revision inside the caller's transaction (which must hold the deployment's
   * lock). `requireReady: false` skips the READY check, for a rollback to what served before.
   */
  async reviseInTransaction(
    tx: Transaction,
    meta: RequestMeta,
    deployment: DeploymentRecord,
    shares: TrafficShareCommand[],
    reason: string | null,
    options: { requireReady?: boolean } = {},
  ) {
    await this.requireServable(tx, deployment, shares, options.requireReady ?? true);
    const previous = await this.deployments.latestRevision(tx, deployment.id);
    // Taken after the deployment's lock, not at transaction start (Postgres now()), so that
    // revisions take effect in revision order and `servingAt` never answers a superseded one.
    const now = Date.now();
    const revision = await this.deployments.createRevision(tx, {
      deploymentId: deployment.id,
      revision: (previous?.revision ?? 0) + 1,
      trafficSplit: shares.map((share) => ({ modelVersionId: share.modelVersionId, percent: share.percent })),
      actor: meta.actor.name,
      reason,
      createdAt: new Date(Math.max(now, previous?.createdAt.getTime() ?? 0)),
    });
    await this.recorder.record(tx, meta, {
      action: "deployment_revision.created",
      target: { kind: "DeploymentRevision", id: revision.id, namespaceId: deployment.namespaceId },
      before: previous,
      after: revision,
      at: revision.createdAt,
      closeEdgesInto: [{ downstreamId: deployment.id, kind: "SERVES" }],
      addEdges: revision.trafficSplit.map((share) => ({
        upstream: { type: "MODEL_VERSION", id: share.modelVersionId },
        downstream: { type: "DEPLOYMENT", id: deployment.id },
        kind: "SERVES",
        properties: { percent: share.percent },
      })),
    });
    return revision;
  }

  /** Every share's model version exists and belongs to the deployment's namespace. */
  private async requireServable(
    tx: Transaction,
    deployment: DeploymentRecord,
    shares: TrafficShareCommand[],
    requireReady: boolean,
  ) {
    const found = new Map(
      (
        await this.modelVersions.findScoped(
          tx,
          shares.map((share) => share.modelVersionId),
        )
      ).map((version) => [version.id, version]),
    );
    for (const [index, share] of shares.entries()) {
      const field = share.field ?? `input.trafficSplit[${index}].modelVersionId`;
      const version = found.get(share.modelVersionId);
      if (!version) throw new EntityNotFoundError("Model version", share.shownAs, field);
      if (version.namespaceId !== deployment.namespaceId) {
        throw new InputInvalidError(field, `must be a model version in the deployment's namespace; "${share.shownAs}" is not.`);
      }
      if (requireReady && version.status !== "READY") {
        throw new ModelVersionNotReadyError(share.shownAs, field, version.status, version.statusReason);
      }
    }
  }
}
