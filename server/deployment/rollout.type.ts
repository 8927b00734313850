import { Field, Float, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { DateTime } from "../graphql/scalars.js";
import { QueueJob } from "../queue/queue-job.type.js";
import type { CanaryStats, RolloutRecord } from "./rollout.repository.js";
import { DeploymentRevision } from "./deployment.type.js";

export enum RolloutStateValue {
  CANARY = "CANARY",
  PROMOTED = "PROMOTED",
  ROLLED_BACK = "ROLLED_BACK",
  ABORTED = "ABORTED",
}
registerEnumType(RolloutStateValue, {
  name: "RolloutState",
  valuesConfig: {
    CANARY: { description: "The canary serves its share; health checks are running." },
    PROMOTED: { description: "The canary was healthy (or promoted by hand) and serves all traffic." },
    ROLLED_BACK: { description: "The canary was unhealthy (or rolled back by hand); the baseline split serves again." },
    ABORTED: {
      description: "Ended without a verdict (too little traffic, checks not queued, or a manual traffic change).",
    },
  },
});

@ObjectType({ description: "The canary's serving health over the rollout so far." })
export class CanaryHealth {
  @Field(() => Int)
  requests!: number;

  @Field(() => Int)
  errors!: number;

  @Field(() => Float, { description: "errors / requests (0 without requests)." })
  errorRate!: number;

  @Field(() => Float, { nullable: true })
  p50Ms!: number | null;

  @Field(() => Float, { nullable: true })
  p99Ms!: number | null;
}

@ObjectType({ description: "A canary rollout of a model version on a deployment, and how it ended." })
export class Rollout {
  deploymentKey!: string;
  canaryModelVersionKey!: string;
  baselineModelVersionKey!: string | null;
  checkJobKey!: string | null;

  @Field(() => ID)
  id!: string;

  @Field(() => RolloutStateValue)
  state!: RolloutStateValue;

  @Field(() => Float, { description: "Share of traffic the canary served during the rollout." })
  canaryPercent!: number;

  @Field(() => Int, { description: "How long the canary had to stay healthy before promotion." })
  windowSeconds!: number;

  @Field(() => Float, { description: "Error-rate limit (fraction): above it the canary rolls back." })
  maxErrorRate!: number;

  @Field(() => Float, { description: "p99 latency limit in ms: above it the canary rolls back." })
  maxP99Ms!: number;

  @Field(() => Int, { description: "Requests the canary had to serve over the window to be promoted." })
  minRequests!: number;

  @Field(() => Int, { description: "The revision that started the canary." })
  startRevision!: number;

  @Field(() => Int, { nullable: true, description: "The revision that ended it." })
  endRevision!: number | null;

  @Field(() => String, { nullable: true, description: "Why it ended." })
  reason!: string | null;

  @Field(() => CanaryHealth, { nullable: true, description: "What the last health check saw." })
  lastHealth!: CanaryHealth | null;

  @Field(() => DateTime, { nullable: true })
  lastCheckedAt!: Date | null;

  @Field(() => String, { description: "Who started it." })
  actor!: string;

  @Field(() => DateTime)
  startedAt!: Date;

  @Field(() => DateTime, { nullable: true })
  endedAt!: Date | null;

  static from(row: RolloutRecord): Rollout {
    return Object.assign(new Rollout(), {
      id: row.id,
      state: row.state as RolloutStateValue,
      canaryPercent: row.canaryPercent,
      windowSeconds: row.windowSeconds,
      maxErrorRate: row.maxErrorRate,
      maxP99Ms: row.maxP99Ms,
      minRequests: row.minRequests,
      startRevision: row.startRevision,
      endRevision: row.endRevision,
      reason: row.reason,
      lastHealth: row.lastStats ? Object.assign(new CanaryHealth(), row.lastStats satisfies CanaryStats) : null,
      lastCheckedAt: row.lastCheckedAt,
      actor: row.actor,
      startedAt: row.startedAt,
      endedAt: row.endedAt,
      deploymentKey: row.deploymentId,
      canaryModelVersionKey: row.canaryModelVersionId,
      baselineModelVersionKey: row.baselineModelVersionId,
      checkJobKey: row.checkJobId,
    });
  }
}

@ObjectType()
export class RolloutPayload {
  @Field(() => Rollout)
  rollout!: Rollout;

  @Field(() => DeploymentRevision, { nullable: true, description: "The revision this change wrote." })
  revision!: DeploymentRevision | null;

  @Field(() => QueueJob, { nullable: true, description: "The health-check job (rollout only)." })
  job!: QueueJob | null;
}
