import { z } from "zod";

/** Queue and name of the monitoring job; one job checks one deployment over one window. */
export const MONITOR_DEPLOYMENT_QUEUE = "monitoring";
export const MONITOR_DEPLOYMENT_JOB = "monitor-deployment";
export const MONITOR_DEPLOYMENT_ATTEMPTS = 3;

/** The actor monitoring jobs write as (drift reports, alerts, audit events). */
export const MONITORING_ACTOR = "worker:monitoring";

/** Window of a scheduled run (the last hour before the run), and of runMonitoring without one. */
export const DEFAULT_MONITOR_WINDOW_MS = 60 * 60 * 1000;

/** Id of a deployment's job scheduler on the monitoring queue. */
export function monitorSchedulerId(deploymentId: string): string {
  return `monitor-deployment:${deploymentId}`;
}

/**
 * What runMonitoring queues, and the template of a deployment's scheduled job. A scheduled job has
 * no window: it checks the `windowMs` before the time it runs, rounded down to `alignMs` so that a
 * retry of the same job checks the same window.
 */
export const monitorDeploymentPayloadSchema = z
  .strictObject({
    deploymentId: z.uuid(),
    /** ISO-8601; both or neither. */
    windowStart: z.iso.datetime().nullable().default(null),
    windowEnd: z.iso.datetime().nullable().default(null),
    windowMs: z.number().int().positive().default(DEFAULT_MONITOR_WINDOW_MS),
    alignMs: z.number().int().positive().nullable().default(null),
    requestedBy: z.string().nullable().default(null),
  })
  .refine((payload) => (payload.windowStart === null) === (payload.windowEnd === null), {
    message: "windowStart and windowEnd go together",
  });

export type MonitorDeploymentPayload = z.infer<typeof monitorDeploymentPayloadSchema>;

/** What a finished monitor-deployment job reports (the job record's result); ids are row keys. */
export interface MonitorDeploymentResult {
  deploymentId: string;
  windowStart: string;
  windowEnd: string;
  reports: Array<{ driftReportId: string; modelVersionId: string; sampleCount: number; driftedFeatures: string[] }>;
  /** Alerts this run raised. */
  alertsRaised: string[];
  /** Rules that fired while an alert of theirs was still unresolved (not raised again). */
  alreadyOpen: string[];
}
