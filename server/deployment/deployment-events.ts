import { type EventBus, publishSafely } from "../events/event-bus.js";
import { type DeploymentEvent, deploymentEventsTopic } from "../events/topics.js";
import { createLogger, type Logger } from "../lib/logger.js";
import type { DeploymentRevisionRecord } from "./deployment.repository.js";

export type DeploymentEventKind =
  | "CREATED"
  | "TRAFFIC_CHANGED"
  | "ROLLOUT_STARTED"
  | "PROMOTED"
  | "ROLLED_BACK"
  | "ROLLOUT_ABORTED";

/**
 * Tells subscribers of `deploymentEvents(deploymentId)` about a committed change. Called after the
 * transaction; a publish failure is logged and never fails the change it reports.
 */
export class DeploymentEventPublisher {
  constructor(
    private readonly bus: EventBus | undefined,
    private readonly logger: Logger = createLogger(process.env.LOG_LEVEL ?? "info"),
  ) {}

  async revisionWritten(
    kind: DeploymentEventKind,
    deploymentId: string,
    revision: DeploymentRevisionRecord | null,
    message: string,
    actor: string,
  ): Promise<void> {
    if (!this.bus) return;
    const event: DeploymentEvent = {
      deploymentId,
      kind,
      revisionId: revision?.id ?? null,
      message,
      trafficSplit: revision ? revision.trafficSplit.map((share) => ({ ...share })) : null,
      actor,
      at: (revision?.createdAt ?? new Date()).toISOString(),
    };
    await publishSafely(this.bus, this.logger, deploymentEventsTopic(deploymentId), event);
  }
}
