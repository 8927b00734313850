import { Field, Float, ID, InputType, Int, ObjectType } from "type-graphql";
import type {
  DeploymentEvent as DeploymentEventPayload,
  DriftAlertEvent as DriftAlertEventPayload,
  JobProgressEvent as JobProgressEventPayload,
  RunProgressEvent as RunProgressEventPayload,
} from "../events/topics.js";
import { QueueJobStatus } from "../queue/queue-job.type.js";
import { RunStatus } from "../run/run.type.js";
import { encodeNodeId, NODE_KINDS, type NodeKind } from "./node-id.js";
import { DateTime } from "./scalars.js";

/** Alerts become nodes with the monitoring work; until "Alert" is a node kind their ids are row keys. */
function alertNodeId(key: string): string {
  return (NODE_KINDS as readonly string[]).includes("Alert") ? encodeNodeId("Alert" as NodeKind, key) : key;
}

@ObjectType({ description: "A background job moved: its progress was reported or its status changed." })
export class JobProgressEvent {
  @Field(() => ID, { description: "The QueueJob." })
  jobId!: string;

  @Field(() => String)
  queue!: string;

  @Field(() => String)
  name!: string;

  @Field(() => QueueJobStatus)
  status!: QueueJobStatus;

  @Field(() => Int, { description: "0–100." })
  progress!: number;

  @Field(() => String, { nullable: true })
  message!: string | null;

  @Field(() => String, { nullable: true, description: "Why the last attempt failed." })
  error!: string | null;

  @Field(() => Int, { description: "The attempt this is about (1 for the first)." })
  attempt!: number;

  @Field(() => DateTime)
  at!: Date;

  static from(event: JobProgressEventPayload): JobProgressEvent {
    return Object.assign(new JobProgressEvent(), {
      ...event,
      jobId: encodeNodeId("QueueJob", event.jobId),
      status: event.status as QueueJobStatus,
      at: new Date(event.at),
    });
  }
}

@ObjectType({ description: "One metric's value at an epoch." })
export class EpochMetric {
  @Field(() => String, { description: "e.g. loss, val_loss, val_accuracy." })
  key!: string;

  @Field(() => Float)
  value!: number;
}

@ObjectType({ description: "A training epoch of a run, once its metrics are logged; the last event says how the run ended." })
export class RunProgressEvent {
  @Field(() => ID, { description: "The Run." })
  runId!: string;

  @Field(() => Int, { description: "1-based; also the step of the metric points." })
  epoch!: number;

  @Field(() => Int, { nullable: true, description: "Epoch limit (early stopping may end sooner)." })
  maxEpochs!: number | null;

  @Field(() => [EpochMetric])
  metrics!: EpochMetric[];

  @Field(() => DateTime)
  at!: Date;

  @Field(() => RunStatus, {
    nullable: true,
    description: "Set on the last event only: how the run ended (the subscription completes after it).",
  })
  status!: RunStatus | null;

  @Field(() => String, { nullable: true, description: "Why the run failed (last event of a FAILED run)." })
  errorMessage!: string | null;

  static from(event: RunProgressEventPayload): RunProgressEvent {
    return Object.assign(new RunProgressEvent(), {
      runId: encodeNodeId("Run", event.runId),
      epoch: event.epoch,
      maxEpochs: event.maxEpochs,
      metrics: Object.entries(event.metrics).map(([key, value]) => Object.assign(new EpochMetric(), { key, value })),
      at: new Date(event.at),
      status: event.status ? RunStatus[event.status] : null,
      errorMessage: event.errorMessage ?? null,
    });
  }
}

@ObjectType({ description: "A model version's share of a deployment's traffic." })
export class DeploymentEventShare {
  @Field(() => ID, { description: "The ModelVersion." })
  modelVersionId!: string;

  @Field(() => Float)
  percent!: number;
}

@ObjectType({ description: "Something happened to a deployment (rollout, promotion, rollback…)." })
export class DeploymentEvent {
  @Field(() => ID, { description: "The Deployment." })
  deploymentId!: string;

  @Field(() => String, { description: "e.g. ROLLOUT_STARTED, PROMOTED, ROLLED_BACK." })
  kind!: string;

  @Field(() => ID, { nullable: true, description: "The DeploymentRevision the change wrote, if any." })
  revisionId!: string | null;

  @Field(() => String)
  message!: string;

  @Field(() => [DeploymentEventShare], { nullable: true, description: "Traffic split after the change, when it changed." })
  trafficSplit!: DeploymentEventShare[] | null;

  @Field(() => String, { nullable: true })
  actor!: string | null;

  @Field(() => DateTime)
  at!: Date;

  static from(event: DeploymentEventPayload): DeploymentEvent {
    return Object.assign(new DeploymentEvent(), {
      ...event,
      deploymentId: encodeNodeId("Deployment", event.deploymentId),
      revisionId: event.revisionId ? encodeNodeId("DeploymentRevision", event.revisionId) : null,
      trafficSplit:
        event.trafficSplit?.map((share) =>
          Object.assign(new DeploymentEventShare(), {
            modelVersionId: encodeNodeId("ModelVersion", share.modelVersionId),
            percent: share.percent,
          }),
        ) ?? null,
      at: new Date(event.at),
    });
  }
}

@ObjectType({ description: "An alert raised by a monitoring rule (drift, latency, error rate, accuracy)." })
export class DriftAlertEvent {
  @Field(() => ID)
  alertId!: string;

  @Field(() => ID, { description: "The Deployment." })
  deploymentId!: string;

  @Field(() => String, { description: "Namespace name of the deployment." })
  namespace!: string;

  @Field(() => String, { description: "DATA_DRIFT, PREDICTION_DRIFT, LATENCY, ERROR_RATE or ACCURACY." })
  kind!: string;

  @Field(() => String)
  severity!: string;

  @Field(() => String)
  message!: string;

  @Field(() => DateTime)
  raisedAt!: Date;

  @Field(() => [String], { description: "Input features whose drift fired the rule." })
  driftingFeatures!: string[];

  static from(event: DriftAlertEventPayload): DriftAlertEvent {
    return Object.assign(new DriftAlertEvent(), {
      ...event,
      alertId: alertNodeId(event.alertId),
      deploymentId: encodeNodeId("Deployment", event.deploymentId),
      raisedAt: new Date(event.raisedAt),
    });
  }
}

@InputType({ description: "Which alerts to receive; every given criterion must match (none: all alerts)." })
export class DriftAlertFilterInput {
  @Field(() => String, { nullable: true, description: "Namespace name." })
  namespace?: string | null;

  @Field(() => ID, { nullable: true })
  deploymentId?: string | null;

  @Field(() => [String], { nullable: true, description: "Alert kinds, e.g. [DATA_DRIFT, LATENCY]." })
  kinds?: string[] | null;
}
