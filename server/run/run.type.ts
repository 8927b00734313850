import { Field, Float, Int, ObjectType, registerEnumType } from "type-graphql";
import { DatasetVersion } from "../dataset/dataset.type.js";
import { encodeNodeId } from "../graphql/node-id.js";
import { Node } from "../graphql/node.type.js";
import { DateTime, JSONObject } from "../graphql/scalars.js";
import type { JobRecord } from "./job.repository.js";
import type { RunRecord, RunStatus as RunStatusValue } from "./run-record.js";

export enum RunStatus {
  PENDING = "PENDING",
  RUNNING = "RUNNING",
  COMPLETED = "COMPLETED",
  FAILED = "FAILED",
  ABORTED = "ABORTED",
}
registerEnumType(RunStatus, { name: "RunStatus", description: "PENDING → RUNNING → COMPLETED | FAILED | ABORTED." });

export enum InputRole {
  TRAIN = "TRAIN",
  VALIDATION = "VALIDATION",
  TEST = "TEST",
  OTHER = "OTHER",
}
registerEnumType(InputRole, { name: "InputRole" });

@ObjectType({ implements: Node, description: "A pipeline step: a training job, or any OpenLineage job." })
export class Job extends Node {
  namespaceKey!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true, description: "e.g. training, batch, streaming, dbt, airflow task." })
  jobType!: string | null;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => DateTime)
  createdAt!: Date;

  @Field(() => DateTime)
  updatedAt!: Date;

  static from(row: JobRecord): Job {
    return Object.assign(new Job(), { ...row, key: row.id, id: encodeNodeId("Job", row.id), namespaceKey: row.namespaceId });
  }
}

@ObjectType({
  implements: Node,
  description: "One execution of a job; a training run carries hyperparameters, metrics and pinned inputs.",
})
export class Run extends Node {
  jobKey!: string;
  parentRunKey!: string | null;
  commitKey!: string | null;
  latestMetricValues!: RunRecord["latestMetrics"];

  @Field(() => String, { nullable: true, description: "The client's own run id (e.g. an OpenLineage runId)." })
  externalId!: string | null;

  @Field(() => RunStatus)
  status!: RunStatusValue;

  @Field(() => JSONObject)
  hyperparameters!: Record<string, unknown>;

  @Field(() => JSONObject, { description: "Latest value of every metric key (highest step)." })
  latestMetrics(): Record<string, number> {
    return Object.fromEntries(Object.entries(this.latestMetricValues).map(([key, metric]) => [key, metric.value]));
  }

  @Field(() => String, { nullable: true })
  errorMessage!: string | null;

  @Field(() => DateTime, { nullable: true })
  nominalTime!: Date | null;

  @Field(() => DateTime, { nullable: true })
  startedAt!: Date | null;

  @Field(() => DateTime, { nullable: true })
  endedAt!: Date | null;

  @Field(() => DateTime)
  createdAt!: Date;

  @Field(() => DateTime)
  updatedAt!: Date;

  static from(row: RunRecord): Run {
    // `latestMetrics` is a method here (it flattens the stored values), so it is not copied.
    const { latestMetrics, ...fields } = row;
    return Object.assign(new Run(), {
      ...fields,
      key: row.id,
      id: encodeNodeId("Run", row.id),
      jobKey: row.jobId,
      parentRunKey: row.parentRunId,
      commitKey: row.commitId,
      latestMetricValues: latestMetrics,
    });
  }
}

@ObjectType({ description: "A dataset version a run read, with the role it played." })
export class RunInput {
  @Field(() => InputRole)
  role!: InputRole;

  @Field(() => DatasetVersion)
  datasetVersion!: DatasetVersion;
}

@ObjectType()
export class MetricPoint {
  @Field(() => Int)
  step!: number;

  @Field(() => Float)
  value!: number;

  @Field(() => DateTime)
  timestamp!: Date;
}

@ObjectType({ description: "The time series of one metric key of a run, ordered by step." })
export class MetricSeries {
  @Field(() => String)
  key!: string;

  @Field(() => [MetricPoint])
  points!: MetricPoint[];
}
