import { Field, ID, ObjectType, registerEnumType } from "type-graphql";
import { encodeNodeId } from "../graphql/node-id.js";
import { Node } from "../graphql/node.type.js";
import { DateTime } from "../graphql/scalars.js";
import { type ColumnTransformationValue, type DerivationProperties, parseDerivationProperties } from "./column-transformation.js";
import type { DatasetFieldRecord } from "./dataset-field.repository.js";

export enum ColumnTransformationType {
  DIRECT = "DIRECT",
  INDIRECT = "INDIRECT",
}
registerEnumType(ColumnTransformationType, {
  name: "ColumnTransformationType",
  description:
    "DIRECT: the output value is computed from the input value. INDIRECT: the input decides which rows, or their grouping or order.",
});

export enum ColumnTransformationSubtype {
  IDENTITY = "IDENTITY",
  TRANSFORMATION = "TRANSFORMATION",
  AGGREGATION = "AGGREGATION",
  JOIN = "JOIN",
  GROUP_BY = "GROUP_BY",
  FILTER = "FILTER",
  SORT = "SORT",
  WINDOW = "WINDOW",
  CONDITIONAL = "CONDITIONAL",
}
registerEnumType(ColumnTransformationSubtype, {
  name: "ColumnTransformationSubtype",
  description:
    "IDENTITY, TRANSFORMATION and AGGREGATION are DIRECT; JOIN, GROUP_BY, FILTER, SORT, WINDOW and CONDITIONAL are INDIRECT.",
});

@ObjectType({ description: "How an output field depends on an input field (OpenLineage columnLineage transformation)." })
export class ColumnTransformation {
  @Field(() => ColumnTransformationType)
  type!: ColumnTransformationType;

  @Field(() => ColumnTransformationSubtype, { nullable: true })
  subtype!: ColumnTransformationSubtype | null;

  @Field(() => String, { nullable: true, description: "The transformation as text, e.g. the SQL expression." })
  description!: string | null;

  @Field(() => Boolean, { description: "True when the output no longer shows the input's data (a hash of PII, say)." })
  masking!: boolean;

  static from(value: ColumnTransformationValue): ColumnTransformation {
    return Object.assign(new ColumnTransformation(), value);
  }
}

/**
 * The transformations of a lineage edge: a list for DERIVES edges (column-level lineage), null for
 * every other kind. For `LineageEdge.transformations`.
 */
export function columnTransformationsOf(edge: { kind: string; properties: unknown }): ColumnTransformation[] | null {
  if (edge.kind !== "DERIVES") return null;
  return parseDerivationProperties(edge.properties).transformations.map(ColumnTransformation.from);
}

@ObjectType({
  implements: Node,
  description: "A column of a dataset version, as a lineage node: column-level lineage joins fields by DERIVES edges.",
})
export class DatasetField extends Node {
  datasetVersionKey!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true, description: "The type the version's schema gives it; null when it has no schema." })
  dataType!: string | null;

  @Field(() => DateTime)
  createdAt!: Date;

  static from(row: DatasetFieldRecord): DatasetField {
    return Object.assign(new DatasetField(), {
      key: row.id,
      id: encodeNodeId("DatasetField", row.id),
      datasetVersionKey: row.datasetVersionId,
      name: row.name,
      dataType: row.dataType,
      createdAt: row.createdAt,
    });
  }
}

@ObjectType({ description: "One current DERIVES edge seen from a field: the field at its other end and how it is derived." })
export class FieldDerivation {
  /** Row key of the field at the other end, for the `field` resolver. */
  fieldKey!: string;

  @Field(() => [ColumnTransformation])
  transformations!: ColumnTransformation[];

  @Field(() => ID, { nullable: true, description: "The run that performed the transformation, when it was given." })
  runId!: string | null;

  @Field(() => DateTime)
  validFrom!: Date;

  static from(fieldKey: string, properties: DerivationProperties, validFrom: Date): FieldDerivation {
    return Object.assign(new FieldDerivation(), {
      fieldKey,
      transformations: properties.transformations.map(ColumnTransformation.from),
      runId: properties.runId ? encodeNodeId("Run", properties.runId) : null,
      validFrom,
    });
  }
}
