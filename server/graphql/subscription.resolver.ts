import { Arg, Authorized, ID, type PubSub, Resolver, Root, type SubscribeResolverData, Subscription } from "type-graphql";
import type {
  DeploymentEvent as DeploymentEventPayload,
  DriftAlertEvent as DriftAlertEventPayload,
  JobProgressEvent as JobProgressEventPayload,
  RunProgressEvent as RunProgressEventPayload,
} from "../events/topics.js";
import type { RequestContext } from "./context.js";
import { parseNodeId } from "./node-id.js";
import {
  DeploymentEvent,
  DriftAlertEvent,
  DriftAlertFilterInput,
  JobProgressEvent,
  RunProgressEvent,
} from "./subscription.types.js";

/**
 * type-graphql insists on a process-wide pubSub, but the schema is built once per process while
 * each app has its own event bus: every subscription here uses `subscribe` with the bus of its
 * request context instead, and this one is never meant to be reached.
 */
export const contextEventBusOnly: PubSub = {
  publish() {
    throw new Error("Publish through services.events (the event bus), not type-graphql's pubSub.");
  },
  subscribe() {
    throw new Error("Subscriptions must use `subscribe` with the context's event bus, not `topics`.");
  },
};

type Subscribe<TArgs> = SubscribeResolverData<unknown, TArgs, RequestContext>;

/**
 * Live streams over graphql-ws (see subscription-server.ts). `subscribe` decodes the ids and opens
 * the stream (the events arrive over the event bus); the methods shape each event for the client.
 */
@Resolver()
export class SubscriptionResolver {
  @Authorized("VIEWER")
  @Subscription(() => JobProgressEvent, {
    description: "The job's current state, then each change of it; completes once it is COMPLETED or FAILED.",
    subscribe: ({ args, context }: Subscribe<{ jobId: string }>) =>
      context.services.liveEvents.jobProgress({ id: parseNodeId(args.jobId, "QueueJob", "jobId"), shownAs: args.jobId }),
  })
  jobProgress(@Arg("jobId", () => ID) _jobId: string, @Root() event: JobProgressEventPayload): JobProgressEvent {
    return JobProgressEvent.from(event);
  }

  @Authorized("VIEWER")
  @Subscription(() => RunProgressEvent, {
    description: "Each training epoch of the run as its metrics are logged; completes at once for a run that has ended.",
    subscribe: ({ args, context }: Subscribe<{ runId: string }>) =>
      context.services.liveEvents.runProgress({ id: parseNodeId(args.runId, "Run", "runId"), shownAs: args.runId }),
  })
  runProgress(@Arg("runId", () => ID) _runId: string, @Root() event: RunProgressEventPayload): RunProgressEvent {
    return RunProgressEvent.from(event);
  }

  @Authorized("VIEWER")
  @Subscription(() => DeploymentEvent, {
    description: "What happens to the deployment from now on: rollouts, promotions, rollbacks.",
    subscribe: ({ args, context }: Subscribe<{ deploymentId: string }>) =>
      context.services.liveEvents.deploymentEvents({
        id: parseNodeId(args.deploymentId, "Deployment", "deploymentId"),
        shownAs: args.deploymentId,
      }),
  })
  deploymentEvents(@Arg("deploymentId", () => ID) _deploymentId: string, @Root() event: DeploymentEventPayload): DeploymentEvent {
    return DeploymentEvent.from(event);
  }

  @Authorized("VIEWER")
  @Subscription(() => DriftAlertEvent, {
    description: "Alerts raised from now on, in any process, that match the filter.",
    subscribe: async ({ args, context }: Subscribe<{ filter?: DriftAlertFilterInput | null }>) => {
      const filter = args.filter ?? {};
      const deploymentId = filter.deploymentId;
      return context.services.liveEvents.driftAlerts({
        // Alerts of namespaces the subscriber cannot read never reach it.
        visibleNamespaces: await visibleNamespaceNames(context),
        namespace: filter.namespace,
        deployment: deploymentId
          ? { id: parseNodeId(deploymentId, "Deployment", "filter.deploymentId"), shownAs: deploymentId }
          : null,
        kinds: filter.kinds,
      });
    },
  })
  driftAlerts(
    @Arg("filter", () => DriftAlertFilterInput, { nullable: true }) _filter: DriftAlertFilterInput | null,
    @Root() event: DriftAlertEventPayload,
  ): DriftAlertEvent {
    return DriftAlertEvent.from(event);
  }
}

/** Names of the namespaces the caller may read; undefined when they read every namespace. */
async function visibleNamespaceNames(context: RequestContext): Promise<ReadonlySet<string> | undefined> {
  const ids = context.access.visibleNamespaceIds();
  if (ids === undefined) return undefined;
  const namespaces = await context.loaders.namespaceById.loadMany([...ids]);
  return new Set(namespaces.flatMap((namespace) => (namespace && !(namespace instanceof Error) ? [namespace.name] : [])));
}
