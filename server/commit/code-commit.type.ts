import { Field, ObjectType } from "type-graphql";
import { encodeNodeId } from "../graphql/node-id.js";
import { Node } from "../graphql/node.type.js";
import { DateTime } from "../graphql/scalars.js";
import type { CodeCommitRecord } from "./code-commit.repository.js";

@ObjectType({ implements: Node, description: "A commit of a source repository, identified by repository + SHA in a namespace." })
export class CodeCommit extends Node {
  namespaceKey!: string;

  @Field(() => String, { description: "Repository URI or host/owner/name, as registered." })
  repository!: string;

  @Field(() => String, { description: "Lowercase hex commit SHA (7–64 characters)." })
  sha!: string;

  @Field(() => String, { nullable: true })
  branch!: string | null;

  @Field(() => String, { nullable: true })
  author!: string | null;

  @Field(() => String, { nullable: true })
  message!: string | null;

  @Field(() => DateTime, { nullable: true, description: "When the commit was made, as the repository says." })
  committedAt!: Date | null;

  @Field(() => DateTime, { description: "When Pedigree registered the commit." })
  createdAt!: Date;

  static from(row: CodeCommitRecord): CodeCommit {
    return Object.assign(new CodeCommit(), {
      ...row,
      key: row.id,
      id: encodeNodeId("CodeCommit", row.id),
      namespaceKey: row.namespaceId,
    });
  }
}
