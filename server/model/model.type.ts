import { Field, Int, ObjectType } from "type-graphql";
import { ConnectionType } from "../graphql/connection.js";
import { encodeNodeId } from "../graphql/node-id.js";
import { Node } from "../graphql/node.type.js";
import { DateTime, JSONObject } from "../graphql/scalars.js";
import type { ModelVersionRecord } from "./model-version.repository.js";
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

  @Field(() => DateTime)
  createdAt!: Date;

  @Field(() => DateTime)
  updatedAt!: Date;

  static from(row: ModelVersionRecord): ModelVersion {
    return Object.assign(new ModelVersion(), {
      ...row,
      key: row.id,
      id: encodeNodeId("ModelVersion", row.id),
      modelKey: row.modelId,
      sourceRunKey: row.sourceRunId,
    });
  }
}

@ObjectType({ description: "A named pointer such as `champion` from a model to one of its versions." })
export class ModelAliasEntry {
  @Field(() => String)
  alias!: string;

  @Field(() => ModelVersion)
  modelVersion!: ModelVersion;
}

export const ModelVersionConnection = ConnectionType(ModelVersion, "ModelVersion");
