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
} from "./deployment.errors.js";
import type { DeploymentFilter, DeploymentRecord, DeploymentRepository } from "./deployment.repository.js";
import { type TrafficShareRecord, checkTrafficSplit } from "./traffic-split.js";

/** A share as the caller sent it: the row key plus the client's id, quoted in errors. */
export interface TrafficShareCommand extends TrafficShareRecord {
  shownAs: string;
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
  ) {}

  /**
   * Creates a deployment. An existing deployment of that name in the same environment is returned
   * unchanged (`created: false`) when the call gives no traffic split or the one it serves; another
   * environment or another split is a CONFLICT (setTraffic changes a split).
   */
  create(meta: RequestMeta, command: CreateDeploymentCommand) {
    if (command.trafficSplit) checkTrafficSplit(command.trafficSplit);
    return runInTransaction(this.db, async (tx) => {
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
        return { deployment: existing, created: false };
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
      if (command.trafficSplit) await this.writeRevision(tx, meta, deployment, command.trafficSplit, command.reason);
      return { deployment, created: true };
    });
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
  setTraffic(meta: RequestMeta, deploymentId: string, shownAs: string, shares: TrafficShareCommand[], reason: string | null) {
    checkTrafficSplit(shares);
    return runInTransaction(this.db, async (tx) => {
      const deployment = (await this.deployments.lock(tx, deploymentId))
        ? await this.deployments.findById(tx, deploymentId)
        : null;
      if (!deployment) throw new DeploymentNotFoundError(shownAs, "input.deploymentId");
      return this.writeRevision(tx, meta, deployment, shares, reason);
    });
  }

  /** The deployment called `name` in the namespace called `namespace`, or null. */
  findByQualifiedName(namespace: string, name: string): Promise<DeploymentRecord | null> {
    return this.deployments.findByQualifiedName(namespace, name);
  }

  async list(filter: DeploymentFilter, page: PageRequest, field: "name" | "createdAt" | "updatedAt", direction: SortDirection) {
    const result = await paginate<DeploymentRecord>(page, field, direction, (query) => this.deployments.list(filter, query));
    return { page: result, count: () => this.deployments.count(filter) };
  }

  private async writeRevision(
    tx: Transaction,
    meta: RequestMeta,
    deployment: DeploymentRecord,
    shares: TrafficShareCommand[],
    reason: string | null,
  ) {
    await this.requireServable(tx, deployment, shares);
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
  private async requireServable(tx: Transaction, deployment: DeploymentRecord, shares: TrafficShareCommand[]) {
    const found = new Map(
      (
        await this.modelVersions.findScoped(
          tx,
          shares.map((share) => share.modelVersionId),
        )
      ).map((version) => [version.id, version]),
    );
    for (const [index, share] of shares.entries()) {
      const field = `input.trafficSplit[${index}].modelVersionId`;
      const version = found.get(share.modelVersionId);
      if (!version) throw new EntityNotFoundError("Model version", share.shownAs, field);
      if (version.namespaceId !== deployment.namespaceId) {
        throw new InputInvalidError(field, `must be a model version in the deployment's namespace; "${share.shownAs}" is not.`);
      }
    }
  }
}
