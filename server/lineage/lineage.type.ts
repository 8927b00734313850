import { Field, Float, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { ColumnTransformation } from "../dataset/dataset-field.type.js";
import { DateTime, JSONObject } from "../graphql/scalars.js";

export enum LineageDirection {
  UPSTREAM = "UPSTREAM",
  DOWNSTREAM = "DOWNSTREAM",
  BOTH = "BOTH",
}
registerEnumType(LineageDirection, { name: "LineageDirection" });

export enum LineageNodeType {
  DATASET_VERSION = "DATASET_VERSION",
  DATASET_FIELD = "DATASET_FIELD",
  FEATURE = "FEATURE",
  CODE_COMMIT = "CODE_COMMIT",
  RUN = "RUN",
  MODEL_VERSION = "MODEL_VERSION",
  DEPLOYMENT = "DEPLOYMENT",
}
registerEnumType(LineageNodeType, { name: "LineageNodeType" });

export enum LineageEdgeKind {
  CONSUMED = "CONSUMED",
  PRODUCED = "PRODUCED",
  SOURCE_OF = "SOURCE_OF",
  USED = "USED",
  BUILT_FROM = "BUILT_FROM",
  SERVES = "SERVES",
  PARENT_OF = "PARENT_OF",
  DERIVES = "DERIVES",
}
registerEnumType(LineageEdgeKind, { name: "LineageEdgeKind", description: "Edges point upstream ➜ downstream." });

@ObjectType({ description: "A node reached by a lineage walk; `node` loads the object itself." })
export class LineageNode {
  @Field(() => ID, { description: "Global id of the node." })
  id!: string;

  @Field(() => LineageNodeType)
  type!: LineageNodeType;

  @Field(() => Int, { description: "Hops from the root (0 for the root)." })
  depth!: number;

  /** Row key, for hydration. */
  key!: string;
}

@ObjectType({ description: "An upstream ➜ downstream edge, valid over [validFrom, validTo)." })
export class LineageEdge {
  @Field(() => ID, { description: "Global id of the upstream node." })
  upstreamId!: string;

  @Field(() => ID, { description: "Global id of the downstream node." })
  downstreamId!: string;

  @Field(() => LineageEdgeKind)
  kind!: LineageEdgeKind;

  @Field(() => String, { nullable: true, description: "Input role for CONSUMED edges (TRAIN, VALIDATION, TEST, OTHER)." })
  role!: string | null;

  @Field(() => JSONObject, { description: "Edge attributes, e.g. a deployment's traffic percent." })
  properties!: Record<string, unknown>;

  @Field(() => [ColumnTransformation], {
    nullable: true,
    description: "How the downstream field depends on the upstream one (DERIVES edges only).",
  })
  transformations!: ColumnTransformation[] | null;

  @Field(() => DateTime)
  validFrom!: Date;

  @Field(() => DateTime, { nullable: true })
  validTo!: Date | null;
}

@ObjectType()
export class LineageGraph {
  @Field(() => [LineageNode], { description: "The root first, then by depth." })
  nodes!: LineageNode[];

  @Field(() => [LineageEdge], { description: "Edges between the returned nodes." })
  edges!: LineageEdge[];

  @Field(() => Boolean, { description: "True when the depth or node limit left reachable nodes out." })
  truncated!: boolean;

  @Field(() => LineageSource, { description: "Which store answered (absent on graphs nested in other answers).", nullable: true })
  source?: LineageSource | null;
}

export enum LineageConsistency {
  EVENTUAL = "EVENTUAL",
  LATEST = "LATEST",
}
registerEnumType(LineageConsistency, {
  name: "LineageConsistency",
  description: "How fresh a lineage answer must be.",
  valuesConfig: {
    EVENTUAL: {
      description:
        "Answer from the graph projection as it stands (a write of the last moments may be missing); the system of record answers when the projection is far behind or down.",
    },
    LATEST: {
      description:
        "Include every write committed before the query: wait (up to the configured timeout) for the projection to catch up, else answer from the system of record.",
    },
  },
});

export enum LineageFallback {
  NONE = "none",
  UNAVAILABLE = "unavailable",
  BEHIND = "behind",
  TIMEOUT = "timeout",
  ERROR = "error",
}
registerEnumType(LineageFallback, {
  name: "LineageFallback",
  description: "Why the Postgres system of record answered although a graph store is configured (NONE when it did not).",
});

@ObjectType({ description: "Which store answered a lineage query, and how fresh the graph projection was." })
export class LineageSource {
  @Field(() => String, { description: "`neo4j` or `postgres` (the system of record)." })
  store!: string;

  @Field(() => Boolean, { description: "True when the answer includes every write committed before the query." })
  consistent!: boolean;

  @Field(() => Int, { description: "Graph outbox rows the projection had not applied when the query was routed." })
  lagRows!: number;

  @Field(() => Float, { description: "Age in seconds of the oldest unapplied outbox row." })
  lagSeconds!: number;

  @Field(() => LineageFallback)
  fallback!: LineageFallback;

  @Field(() => String, { nullable: true, description: "Why Postgres answered, in a sentence." })
  reason!: string | null;
}
