import { Field, Int, ObjectType, registerEnumType } from "type-graphql";
import { encodeNodeId } from "../graphql/node-id.js";
import { Node } from "../graphql/node.type.js";
import { DateTime, JSONObject } from "../graphql/scalars.js";
import type { QueueJobRow, QueueJobStatus as QueueJobStatusValue } from "./queue-job.repository.js";

export enum QueueJobStatus {
  WAITING = "WAITING",
  ACTIVE = "ACTIVE",
  COMPLETED = "COMPLETED",
  FAILED = "FAILED",
  DELAYED = "DELAYED",
}
registerEnumType(QueueJobStatus, { name: "QueueJobStatus" });

@ObjectType({
  implements: Node,
  description: "A piece of background work (training, rollout, drift check…) and how far it has got.",
})
export class QueueJob extends Node {
  @Field(() => String, { description: "training, serving or monitoring." })
  queue!: string;

  @Field(() => String, { description: "What the job does, e.g. train-model." })
  name!: string;

  @Field(() => QueueJobStatus)
  status!: QueueJobStatusValue;

  @Field(() => Int, { description: "0–100." })
  progress!: number;

  @Field(() => String, { nullable: true, description: "What it is doing now, in a few words." })
  message!: string | null;

  @Field(() => JSONObject, { nullable: true, description: "What it produced, once COMPLETED." })
  result!: Record<string, unknown> | null;

  @Field(() => String, { nullable: true, description: "Why the last attempt failed." })
  error!: string | null;

  @Field(() => Int, { description: "Attempts started so far." })
  attempts!: number;

  @Field(() => DateTime)
  createdAt!: Date;

  @Field(() => DateTime)
  updatedAt!: Date;

  @Field(() => DateTime, { nullable: true })
  finishedAt!: Date | null;

  static from(row: QueueJobRow): QueueJob {
    return Object.assign(new QueueJob(), {
      ...row,
      key: row.id,
      id: encodeNodeId("QueueJob", row.id),
      result: (row.result ?? null) as Record<string, unknown> | null,
    });
  }
}
