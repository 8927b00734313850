import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { DateTime, JSONObject } from "../graphql/scalars.js";

export enum LineageDirection {
  UPSTREAM = "UPSTREAM",
  DOWNSTREAM = "DOWNSTREAM",
  BOTH = "BOTH",
}
registerEnumType(LineageDirection, { name: "LineageDirection" });

export enum LineageNodeType {
  DATASET_VERSION = "DATASET_VERSION",
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
}
