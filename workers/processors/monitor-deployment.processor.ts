import { DeploymentNotFoundError } from "../../server/deployment/deployment.errors.js";
import type { RequestMeta } from "../../server/graphql/context.js";
import type { Services } from "../../server/services.js";
import {
  MONITOR_DEPLOYMENT_JOB,
  MONITOR_DEPLOYMENT_QUEUE,
  MONITORING_ACTOR,
  type MonitorDeploymentResult,
  monitorDeploymentPayloadSchema,
} from "../jobs/monitor-deployment.job.js";
import { type JobContext, type JobHandler, PermanentJobError } from "../worker-host.js";

/**
 * The monitor-deployment job (queued by runMonitoring, or by the deployment's job scheduler):
 * drift reports per served model version, rule evaluation, alerts published after commit.
 * Idempotent: a retry finds the reports of its job again and an unresolved alert is never raised twice.
 */
export function monitorDeploymentHandler(services: Services): JobHandler {
  return {
    queue: MONITOR_DEPLOYMENT_QUEUE,
    name: MONITOR_DEPLOYMENT_JOB,
    run: (payload, context) => monitorDeployment(services, payload, context),
  };
}

async function monitorDeployment(
  services: Services,
  rawPayload: Record<string, unknown>,
  context: JobContext,
): Promise<MonitorDeploymentResult> {
  const parsed = monitorDeploymentPayloadSchema.safeParse(rawPayload);
  if (!parsed.success) throw new PermanentJobError(`The monitor-deployment job's payload is invalid: ${parsed.error.message}`);
  const meta: RequestMeta = { actor: { name: MONITORING_ACTOR }, requestId: context.jobId, clientAddress: undefined };
  await context.reportProgress(5, "reading the prediction log");
  const publish = async (topic: string, payload: unknown) => {
    if (context.publish) await context.publish(topic, payload);
    else await services.events.publish(topic, payload).catch(() => undefined);
  };
  let result: MonitorDeploymentResult;
  try {
    // A scheduled run's window ends at its tick, not when a busy worker got to it: two late ticks
    // picked up in the same second must still watch two windows.
    result = await services.monitoring.monitor(meta, context.jobId, parsed.data, publish, context.dueAt);
  } catch (error) {
    // A deployment that does not exist will not exist on a retry either.
    if (error instanceof DeploymentNotFoundError) throw new PermanentJobError(error.message);
    throw error;
  }
  await context.reportProgress(
    100,
    `${result.reports.length} report(s), ${result.alertsRaised.length} alert(s) raised, ${result.alreadyOpen.length} still open`,
  );
  return result;
}
