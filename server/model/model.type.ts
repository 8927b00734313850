import { Field, Float, Int, ObjectType, registerEnumType } from "type-graphql";
import { ConnectionType } from "../graphql/connection.js";
import { encodeNodeId } from "../graphql/node-id.js";
import { Node } from "../graphql/node.type.js";
import { DateTime, JSONObject } from "../graphql/scalars.js";
import type { ModelVersionRecord } from "./model-version.repository.js";

export enum ModelVersionStatusValue {
  PENDING = "PENDING",
  READY = "READY",
  FAILED = "FAILED",
}
registerEnumType(ModelVersionStatusValue, {
  name: "ModelVersionStatus",
  description: "Whether a model version may serve.",
  valuesConfig: {
    PENDING: { description: "Not verified: the artifact is not a local file, or the file is not there yet." },
    READY: { description: "The artifact exists, matches its SHA-256 and loads in onnxruntime; it may be deployed." },
    FAILED: { description: "The artifact was checked and is wrong (other bytes, or not a loadable ONNX model)." },
  },
});
import type { ModelRecord } from "./model.repository.js";

@ObjectType({ implements: Node, description: "A named model in a namespace; its artifacts are immutable versions." })
export class Model extends Node {
  namespaceKey!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => DateTime)
  createdAt!: Date;

  @Field(() => DateTime)
  updatedAt!: Date;

  static from(row: ModelRecord): Model {
    return Object.assign(new Model(), {
      ...row,
      key: row.id,
      id: encodeNodeId("Model", row.id),
      namespaceKey: row.namespaceId,
    });
  }
}

@ObjectType({
  implements: Node,
  description: "An immutable model artifact (ONNX file + SHA-256), numbered 1, 2, 3… within its model.",
})
export class ModelVersion extends Node {
  modelKey!: string;

  /** Row key of the run that produced the artifact (resolved to `sourceRun`). */
  sourceRunKey!: string | null;

  @Field(() => Int, { description: "1, 2, 3… in order of registration within the model." })
  version!: number;

  @Field(() => String)
  artifactUri!: string;

  @Field(() => String, { description: "SHA-256 of the artifact, lowercase hex. Same artifact ⇒ same version." })
  artifactSha256!: string;

  @Field(() => JSONObject, { description: "Input and output signature of the model." })
  signature!: Record<string, unknown>;

  @Field(() => JSONObject, { description: "Evaluation metrics: name → number." })
  metrics!: Record<string, number>;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => ModelVersionStatusValue, { description: "Only READY versions can be deployed." })
  status!: ModelVersionStatusValue;

  @Field(() => String, { nullable: true, description: "Why the version is not READY (what the last artifact check found)." })
  statusReason!: string | null;

  @Field(() => DateTime)
  createdAt!: Date;

  @Field(() => DateTime)
  updatedAt!: Date;

  static from(row: ModelVersionRecord): ModelVersion {
    return Object.assign(new ModelVersion(), {
      ...row,
      key: row.id,
      id: encodeNodeId("ModelVersion", row.id),
      status: row.status as ModelVersionStatusValue,
      modelKey: row.modelId,
      sourceRunKey: row.sourceRunId,
    });
  }
}

@ObjectType({ description: "How much a model's score depends on one feature (permutation importance at training)." })
export class FeatureImportance {
  @Field(() => String)
  feature!: string;

  @Field(() => Float, {
    description: "Mean drop of the validation score (accuracy, or R² for regression) when the feature's column is shuffled.",
  })
  importance!: number;
}

@ObjectType({ description: "A named pointer such as `champion` from a model to one of its versions." })
export class ModelAliasEntry {
  @Field(() => String)
  alias!: string;

  @Field(() => ModelVersion)
  modelVersion!: ModelVersion;
}

export const ModelVersionConnection = ConnectionType(ModelVersion, "ModelVersion");
