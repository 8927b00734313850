import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { encodeNodeId } from "../graphql/node-id.js";
import type {
  AuditChainBreak as AuditChainBreakRecord,
  AuditChainVerification as VerificationRecord,
} from "./audit-chain-verifier.js";

export enum AuditChainProblem {
  HASH_MISSING = "HASH_MISSING",
  SEQUENCE_MISMATCH = "SEQUENCE_MISMATCH",
  PREVIOUS_HASH_MISMATCH = "PREVIOUS_HASH_MISMATCH",
  CONTENT_HASH_MISMATCH = "CONTENT_HASH_MISMATCH",
}
registerEnumType(AuditChainProblem, {
  name: "AuditChainProblem",
  valuesConfig: {
    HASH_MISSING: { description: "The event has no sequence number or hash: it was written outside the chain." },
    SEQUENCE_MISMATCH: {
      description: "The event's sequence number is not the previous one plus one: events are missing or reordered.",
    },
    PREVIOUS_HASH_MISMATCH: {
      description: "The event does not carry the previous event's hash: an event before it was removed, replaced or forged.",
    },
    CONTENT_HASH_MISMATCH: { description: "The event's content does not hash to its stored hash: it was changed." },
  },
});

@ObjectType({ description: "The first event at which the audit hash chain does not hold." })
export class AuditChainBreak {
  @Field(() => ID, { description: "Global id of the AuditEvent." })
  eventId!: string;

  @Field(() => Int, { nullable: true, description: "The sequence number stored on the event." })
  sequence!: number | null;

  @Field(() => AuditChainProblem)
  problem!: AuditChainProblem;

  @Field(() => String, { nullable: true, description: "What the chain requires (sequence number or hash)." })
  expected!: string | null;

  @Field(() => String, { nullable: true, description: "What the event carries." })
  actual!: string | null;

  @Field(() => String)
  message!: string;

  static from(record: AuditChainBreakRecord): AuditChainBreak {
    return Object.assign(new AuditChainBreak(), {
      ...record,
      eventId: encodeNodeId("AuditEvent", record.eventId),
      problem: record.problem as AuditChainProblem,
    });
  }
}

@ObjectType({ description: "Result of recomputing the audit hash chain." })
export class AuditChainVerification {
  @Field(() => Boolean, { description: "True when every checked event links correctly." })
  ok!: boolean;

  @Field(() => Int, { description: "Events checked (the broken one included)." })
  eventsChecked!: number;

  @Field(() => ID, { nullable: true })
  firstEventId!: string | null;

  @Field(() => ID, { nullable: true, description: "Last event checked (the broken one when the chain is broken)." })
  lastEventId!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "Hash of the last event that verified; compare it with a copy kept outside the database.",
  })
  headHash!: string | null;

  @Field(() => AuditChainBreak, { nullable: true })
  brokenLink!: AuditChainBreak | null;

  static from(record: VerificationRecord): AuditChainVerification {
    const eventId = (id: number | null) => (id === null ? null : encodeNodeId("AuditEvent", id));
    return Object.assign(new AuditChainVerification(), {
      ...record,
      firstEventId: eventId(record.firstEventId),
      lastEventId: eventId(record.lastEventId),
      brokenLink: record.brokenLink ? AuditChainBreak.from(record.brokenLink) : null,
    });
  }
}
