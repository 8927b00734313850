import { Repeater } from "@graphql-yoga/subscription";
import { AlertKind } from "../../prisma/generated/enums.js";
import { EntityNotFoundError, InputInvalidError } from "../errors/common-errors.js";
import type { Repositories } from "../repositories.js";
import { type EventBus, subscribeConfirmed } from "./event-bus.js";
import {
  DRIFT_ALERTS_TOPIC,
  type DeploymentEvent,
  type DriftAlertEvent,
  deploymentEventsTopic,
  type JobProgressEvent,
  jobProgressTopic,
  type RunProgressEvent,
  runProgressTopic,
} from "./topics.js";

/** An id as the service uses it (row key) and as the client gave it (for error messages). */
export interface LiveReference {
  id: string;
  shownAs: string;
}

export interface DriftAlertSelection {
  /** Namespace name. */
  namespace?: string | null;
  deployment?: LiveReference | null;
  kinds?: readonly string[] | null;
  /** Names of the namespaces whose alerts the subscriber may see; absent: every namespace. */
  visibleNamespaces?: ReadonlySet<string> | undefined;
}

const TERMINAL_JOB_STATUSES = new Set(["COMPLETED", "FAILED"]);
const TERMINAL_RUN_STATUSES = new Set(["COMPLETED", "FAILED", "ABORTED"]);
const ALERT_KINDS: readonly string[] = Object.values(AlertKind);
const MAX_KINDS = 20;

/**
 * The live streams behind the GraphQL subscriptions. Each checks what it is asked for exists (so
 * a mistyped id fails at once instead of waiting forever), subscribes to the event bus BEFORE
 * reading any current state, and narrows the topic's events to what the client asked for.
 */
export class LiveEventsService {
  constructor(
    private readonly events: EventBus,
    private readonly repos: Pick<Repositories, "queueJobs" | "runs" | "deployments" | "namespaces">,
  ) {}

  /**
   * The job's current state first, then every change of it; ends once the job is COMPLETED or
   * FAILED (at once when it already is).
   */
  async jobProgress(job: LiveReference): Promise<AsyncIterableIterator<JobProgressEvent>> {
    const events = await subscribeConfirmed(this.events, jobProgressTopic(job.id));
    const [row] = await this.repos.queueJobs.findByIds([job.id]).catch(async (error: unknown) => {
      await events.return?.();
      throw error;
    });
    if (!row) {
      await events.return?.();
      throw new EntityNotFoundError("QueueJob", job.shownAs, "jobId");
    }
    const current: JobProgressEvent = {
      jobId: row.id,
      queue: row.queue,
      name: row.name,
      status: row.status,
      progress: row.progress,
      message: row.message,
      error: row.error,
      attempt: row.attempts,
      at: row.updatedAt.toISOString(),
    };
    return new Repeater<JobProgressEvent>(async (push, stop) => {
      void stop.then(() => events.return?.());
      await push(current);
      if (TERMINAL_JOB_STATUSES.has(current.status)) {
        stop();
        return;
      }
      for await (const payload of events) {
        const event = payload as JobProgressEvent;
        // Events already buffered when the state was read may be older than it.
        if (event.at < current.at) continue;
        await push(event);
        if (TERMINAL_JOB_STATUSES.has(event.status)) break;
      }
      stop();
    });
  }

  /** Each epoch of the run as it is logged; ends at once for a run that has already ended. */
  async runProgress(run: LiveReference): Promise<AsyncIterableIterator<RunProgressEvent>> {
    const events = await subscribeConfirmed(this.events, runProgressTopic(run.id));
    const [row] = await this.repos.runs.findByIds([run.id]).catch(async (error: unknown) => {
      await events.return?.();
      throw error;
    });
    if (!row) {
      await events.return?.();
      throw new EntityNotFoundError("Run", run.shownAs, "runId");
    }
    if (TERMINAL_RUN_STATUSES.has(row.status)) await events.return?.();
    return new Repeater<RunProgressEvent>(async (push, stop) => {
      void stop.then(() => events.return?.());
      for await (const payload of events) {
        const event = payload as RunProgressEvent;
        await push(event);
        // The run's last event says how it ended (RunService publishes it after the commit).
        if (event.status) break;
      }
      stop();
    });
  }

  /** What happens to the deployment from now on (rollouts, promotions, rollbacks…). */
  async deploymentEvents(deployment: LiveReference): Promise<AsyncIterableIterator<DeploymentEvent>> {
    const events = await subscribeConfirmed(this.events, deploymentEventsTopic(deployment.id));
    const [row] = await this.repos.deployments.findByIds([deployment.id]).catch(async (error: unknown) => {
      await events.return?.();
      throw error;
    });
    if (!row) {
      await events.return?.();
      throw new EntityNotFoundError("Deployment", deployment.shownAs, "deploymentId");
    }
    return events as AsyncIterableIterator<DeploymentEvent>;
  }

  /** Alerts raised from now on that match every given criterion (none given: all alerts). */
  async driftAlerts(selection: DriftAlertSelection): Promise<AsyncIterableIterator<DriftAlertEvent>> {
    const kinds = selection.kinds ? new Set(selection.kinds) : undefined;
    if (kinds) {
      if (kinds.size > MAX_KINDS) throw new InputInvalidError("filter.kinds", `may list at most ${MAX_KINDS} kinds.`);
      const unknown = [...kinds].filter((kind) => !ALERT_KINDS.includes(kind));
      if (unknown.length > 0) {
        throw new InputInvalidError(
          "filter.kinds",
          `names an unknown alert kind (${unknown.map((kind) => `"${kind}"`).join(", ")}); expected one of ${ALERT_KINDS.join(", ")}.`,
        );
      }
    }
    const { namespace, deployment } = selection;
    if (namespace != null && !(await this.repos.namespaces.findByName(undefined, namespace))) {
      throw new EntityNotFoundError("Namespace", namespace, "filter.namespace");
    }
    if (deployment && (await this.repos.deployments.findByIds([deployment.id])).length === 0) {
      throw new EntityNotFoundError("Deployment", deployment.shownAs, "filter.deploymentId");
    }
    const events = await subscribeConfirmed(this.events, DRIFT_ALERTS_TOPIC);
    const { visibleNamespaces } = selection;
    const wanted = (alert: DriftAlertEvent) =>
      (!visibleNamespaces || visibleNamespaces.has(alert.namespace)) &&
      (namespace == null || alert.namespace === namespace) &&
      (!deployment || alert.deploymentId === deployment.id) &&
      (!kinds || kinds.has(alert.kind));
    return new Repeater<DriftAlertEvent>(async (push, stop) => {
      void stop.then(() => events.return?.());
      for await (const payload of events) {
        const alert = payload as DriftAlertEvent;
        if (wanted(alert)) await push(alert);
      }
      stop();
    });
  }
}
