import { Field, Float, Int, ObjectType, registerEnumType } from "type-graphql";
import { encodeNodeId } from "../graphql/node-id.js";
import { Node } from "../graphql/node.type.js";
import { DateTime } from "../graphql/scalars.js";
import type { DatasetFormat as DatasetFormatValue, DatasetRecord, DatasetVersionRecord } from "./dataset.repository.js";

export enum DatasetFormat {
  PARQUET = "PARQUET",
  DELTA = "DELTA",
  ICEBERG = "ICEBERG",
  CSV = "CSV",
  JSON = "JSON",
  AVRO = "AVRO",
  OTHER = "OTHER",
}
registerEnumType(DatasetFormat, { name: "DatasetFormat" });

@ObjectType({ description: "One column of a dataset version." })
export class SchemaField {
  @Field(() => String)
  name!: string;

  @Field(() => String, { description: "Type as the producer names it (e.g. int64, string, timestamp)." })
  type!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;
}

@ObjectType({ implements: Node, description: "A named dataset in a namespace; its content lives in immutable versions." })
export class Dataset extends Node {
  namespaceKey!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => DateTime)
  createdAt!: Date;

  @Field(() => DateTime)
  updatedAt!: Date;

  static from(row: DatasetRecord): Dataset {
    return Object.assign(new Dataset(), {
      ...row,
      key: row.id,
      id: encodeNodeId("Dataset", row.id),
      namespaceKey: row.namespaceId,
    });
  }
}

@ObjectType({ implements: Node, description: "An immutable snapshot of a dataset, identified by its content digest." })
export class DatasetVersion extends Node {
  datasetKey!: string;

  @Field(() => Int, { description: "1, 2, 3… in order of registration within the dataset." })
  version!: number;

  @Field(() => String)
  uri!: string;

  @Field(() => DatasetFormat)
  format!: DatasetFormatValue;

  @Field(() => String, { description: "Content digest, algorithm:hex." })
  digest!: string;

  @Field(() => [SchemaField])
  schema!: SchemaField[];

  @Field(() => Float, { nullable: true })
  rowCount!: number | null;

  @Field(() => Float, { nullable: true })
  sizeBytes!: number | null;

  @Field(() => String, { nullable: true, description: "DVC md5, Delta version, Iceberg snapshot id…" })
  snapshotRef!: string | null;

  @Field(() => DateTime)
  createdAt!: Date;

  static from(row: DatasetVersionRecord): DatasetVersion {
    return Object.assign(new DatasetVersion(), {
      ...row,
      schema: row.schemaFields,
      key: row.id,
      id: encodeNodeId("DatasetVersion", row.id),
      datasetKey: row.datasetId,
    });
  }
}
