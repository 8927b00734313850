import { IsOptional, Max, MaxLength, Min } from "class-validator";
import { Field, Float, ID, InputType, Int } from "type-graphql";
import { MAX_ROLLOUT_WINDOW_SECONDS } from "./rollout-settings.js";

@InputType()
export class StartRolloutInput {
  @Field(() => ID)
  deploymentId!: string;

  @Field(() => ID, { description: "The canary: a READY model version of the deployment's namespace." })
  modelVersionId!: string;

  @Field(() => Float, { description: "Share of traffic the canary gets: above 0 and below 100." })
  canaryPercent!: number;

  @Field(() => Int, {
    nullable: true,
    description: "How long the canary must stay healthy before it is promoted (default PEDIGREE_ROLLOUT_WINDOW_SECONDS, 300).",
  })
  @IsOptional()
  @Min(1)
  @Max(MAX_ROLLOUT_WINDOW_SECONDS)
  windowSeconds?: number | null;

  @Field(() => Float, {
    nullable: true,
    description: "p99 latency limit in ms (default PEDIGREE_ROLLOUT_MAX_P99_MS, 200).",
  })
  @IsOptional()
  @Min(0.001)
  maxP99Ms?: number | null;

  @Field(() => Float, { nullable: true, description: "Error-rate limit as a fraction (default 0.01)." })
  @IsOptional()
  @Min(0)
  @Max(0.999999)
  maxErrorRate?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: "Requests the canary must serve over the window to be promoted (default PEDIGREE_ROLLOUT_MIN_REQUESTS, 1).",
  })
  @IsOptional()
  @Min(0)
  minRequests?: number | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(2_000)
  reason?: string | null;
}

@InputType()
export class PromoteRolloutInput {
  @Field(() => ID)
  deploymentId!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(2_000)
  reason?: string | null;
}

@InputType()
export class RollbackRolloutInput {
  @Field(() => ID)
  deploymentId!: string;

  @Field(() => String, { description: "Why the canary goes back (kept on the revision)." })
  @MaxLength(2_000)
  reason!: string;
}
