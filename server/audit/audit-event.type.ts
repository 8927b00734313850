import { Field, ObjectType } from "type-graphql";
import { encodeNodeId } from "../graphql/node-id.js";
import { Node } from "../graphql/node.type.js";
import { DateTime, JSONObject } from "../graphql/scalars.js";
import type { AuditEvent as AuditEventRecord } from "./audit-event.js";

@ObjectType({ implements: Node, description: "One recorded change: who did what to which node, when, from where." })
export class AuditEvent extends Node {
  @Field(() => DateTime)
  occurredAt!: Date;

  @Field(() => String)
  actor!: string;

  @Field(() => String, { description: "`<entity>.<verb>`, e.g. dataset_version.registered." })
  action!: string;

  @Field(() => String, { description: "Kind of the target node, e.g. DatasetVersion." })
  targetType!: string;

  @Field(() => String, { description: "Global id of the target node." })
  targetId!: string;

  @Field(() => JSONObject, { nullable: true })
  before!: Record<string, unknown> | null;

  @Field(() => JSONObject, { nullable: true })
  after!: Record<string, unknown> | null;

  @Field(() => String, { nullable: true })
  requestId!: string | null;

  @Field(() => String, { nullable: true })
  clientAddress!: string | null;

  static from(row: AuditEventRecord): AuditEvent {
    return Object.assign(new AuditEvent(), {
      ...row,
      key: String(row.id),
      id: encodeNodeId("AuditEvent", row.id),
      targetId: encodeNodeId(row.targetType, row.targetId),
    });
  }
}
