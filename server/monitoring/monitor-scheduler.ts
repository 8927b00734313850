// Per-deployment monitoring on a schedule, with BullMQ job schedulers (upsertJobScheduler).
import type { Logger } from "../lib/logger.js";
import type { JobSchedulers } from "../queue/queue-connection.js";
import {
  DEFAULT_MONITOR_WINDOW_MS,
  MONITOR_DEPLOYMENT_ATTEMPTS,
  MONITOR_DEPLOYMENT_JOB,
  type MonitorDeploymentPayload,
  monitorSchedulerId,
} from "../../workers/jobs/monitor-deployment.job.js";

/**
 * The job schedulers of the monitoring queue (QueueConnection.schedulers("monitoring")); a BullMQ
 * `Queue` satisfies it on Redis and on the PostgreSQL backend alike.
 */
export type JobSchedulerPort = JobSchedulers;

export interface MonitorSchedule {
  deploymentId: string;
  everyMs: number;
}

const SCHEDULER_PREFIX = monitorSchedulerId("");

/**
 * Keeps one job scheduler per deployment on the monitoring queue: every `intervalMs` a
 * monitor-deployment job checks the `windowMs` before it. `ensure` is idempotent and cheap when
 * the schedule is already there (it is read first, and left alone), so start-up, the periodic
 * reconciliation and runMonitoring can all call it; a changed interval replaces the schedule.
 * A new schedule first runs one interval after it is made, not at once.
 */
export class MonitorScheduler {
  constructor(
    private readonly port: () => Promise<JobSchedulerPort>,
    readonly intervalMs: number,
    readonly windowMs: number = Math.max(DEFAULT_MONITOR_WINDOW_MS, intervalMs),
  ) {
    if (!Number.isInteger(intervalMs) || intervalMs < 1_000) {
      throw new Error(`The monitoring interval must be a whole number of milliseconds, at least 1000; got ${intervalMs}.`);
    }
  }

  /** Creates or updates the deployment's schedule; true when it wrote one. */
  async ensure(deploymentId: string): Promise<boolean> {
    const port = await this.port();
    const id = monitorSchedulerId(deploymentId);
    const stored = await port.getJobScheduler(id);
    const data: MonitorDeploymentPayload = {
      deploymentId,
      windowStart: null,
      windowEnd: null,
      windowMs: this.windowMs,
      // A retry of a scheduled job checks the same window: its end is rounded down to the interval.
      alignMs: this.intervalMs,
      requestedBy: null,
    };
    const template = stored?.template?.data as Partial<MonitorDeploymentPayload> | undefined;
    if (
      stored &&
      Number(stored.every) === this.intervalMs &&
      template?.windowMs === data.windowMs &&
      template?.alignMs === data.alignMs
    ) {
      return false;
    }
    await port.upsertJobScheduler(
      id,
      // Upserting an existing scheduler keeps its next run; a new one starts an interval from now.
      { every: this.intervalMs, ...(stored ? {} : { startDate: Date.now() + this.intervalMs }) },
      {
        name: MONITOR_DEPLOYMENT_JOB,
        data: { ...data },
        opts: {
          attempts: MONITOR_DEPLOYMENT_ATTEMPTS,
          backoff: { type: "exponential", delay: 2_000 },
          removeOnComplete: { count: 1_000, age: 24 * 3600 },
          removeOnFail: { count: 5_000, age: 7 * 24 * 3600 },
        },
      },
    );
    return true;
  }

  async remove(deploymentId: string): Promise<boolean> {
    return (await this.port()).removeJobScheduler(monitorSchedulerId(deploymentId));
  }

  /** The deployment's schedule as the queue store holds it, or null. */
  async get(deploymentId: string): Promise<MonitorSchedule | null> {
    const scheduler = await (await this.port()).getJobScheduler(monitorSchedulerId(deploymentId));
    return scheduler?.every ? { deploymentId, everyMs: Number(scheduler.every) } : null;
  }

  /** Every deployment schedule the queue store holds. */
  list(): Promise<MonitorSchedule[]> {
    return listMonitorSchedules(this.port);
  }
}

async function listMonitorSchedules(port: () => Promise<JobSchedulerPort>): Promise<MonitorSchedule[]> {
  const schedulers = await (await port()).getJobSchedulers(0, -1, true);
  return schedulers
    .map((scheduler) => ({ id: scheduler.key || scheduler.id || "", every: Number(scheduler.every ?? 0) }))
    .filter(({ id, every }) => id.startsWith(SCHEDULER_PREFIX) && every > 0)
    .map(({ id, every }) => ({ deploymentId: id.slice(SCHEDULER_PREFIX.length), everyMs: every }));
}

/** Removes every deployment schedule (monitoring on a schedule was switched off); returns how many. */
export async function removeMonitorSchedules(port: () => Promise<JobSchedulerPort>): Promise<number> {
  const schedules = await listMonitorSchedules(port);
  const schedulers = await port();
  for (const { deploymentId } of schedules) await schedulers.removeJobScheduler(monitorSchedulerId(deploymentId));
  return schedules.length;
}

/** What keeps the schedules: MonitoringService.scheduleAll (one `ensure` per deployment). */
export interface ScheduleSource {
  scheduleAll(): Promise<number>;
}

export interface MonitorScheduleKeeper {
  /** Stops reconciling; resolves once a reconciliation under way has ended (before the queues close). */
  stop(): Promise<void>;
}

/**
 * Runs in every worker process: schedules monitoring for every deployment at start, then again
 * every interval so that a deployment created since gets its schedule (at most one interval
 * late; runMonitoring schedules it at once). Several processes may do this at once: `ensure`
 * upserts by a fixed scheduler id. With scheduling off (interval 0), removes the schedules a
 * previous configuration left behind instead.
 */
export function keepMonitorSchedules(
  monitoring: ScheduleSource,
  settings: { intervalMs: number; schedulers: () => Promise<JobSchedulerPort> },
  logger: Logger,
): MonitorScheduleKeeper {
  if (settings.intervalMs <= 0) {
    const removing = removeMonitorSchedules(settings.schedulers)
      .then((removed) => {
        if (removed > 0) logger.info({ removed }, "scheduled monitoring is off: removed the deployment schedules");
      })
      .catch((error: unknown) => logger.warn({ err: error }, "could not remove the monitoring schedules"));
    return { stop: () => removing };
  }
  let running: Promise<void> | undefined;
  const reconcile = () => {
    running ??= monitoring
      .scheduleAll()
      .then((count) => logger.debug({ deployments: count }, "monitoring schedules reconciled"))
      .catch((error: unknown) => logger.warn({ err: error }, "could not schedule monitoring"))
      .finally(() => {
        running = undefined;
      });
  };
  reconcile();
  const timer = setInterval(reconcile, settings.intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
