import { Field, ObjectType } from "type-graphql";
import { DateTime, JSONObject } from "../graphql/scalars.js";
import type { DatasetSymlinkRecord, StoredEvent } from "./openlineage.repository.js";

@ObjectType({ description: "An OpenLineage event as it was received (POST /api/v1/lineage), for audit and replay." })
export class OpenLineageEvent {
  @Field(() => String, { description: "SHA-256 of the event's canonical JSON (RFC 8785); the same event is stored once." })
  eventHash!: string;

  @Field(() => String, { description: "RUN, JOB or DATASET." })
  kind!: string;

  @Field(() => String, { nullable: true, description: "START, RUNNING, COMPLETE, ABORT, FAIL or OTHER (run events)." })
  eventType!: string | null;

  @Field(() => DateTime)
  eventTime!: Date;

  @Field(() => DateTime)
  receivedAt!: Date;

  @Field(() => JSONObject, { description: "The event exactly as sent (facets included)." })
  payload!: Record<string, unknown>;

  static from(row: StoredEvent): OpenLineageEvent {
    return Object.assign(new OpenLineageEvent(), { ...row, payload: row.payload as Record<string, unknown> });
  }
}

@ObjectType({
  description: "Another identifier of a dataset, from the OpenLineage symlinks facet: events that name it land on this dataset.",
})
export class DatasetSymlink {
  @Field(() => String, { description: "The identifier's namespace as OpenLineage names it (need not be a Pedigree namespace)." })
  namespace!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true, description: "The facet's identifier type, e.g. TABLE." })
  type!: string | null;

  @Field(() => DateTime)
  createdAt!: Date;

  static from(row: DatasetSymlinkRecord): DatasetSymlink {
    return Object.assign(new DatasetSymlink(), row);
  }
}
