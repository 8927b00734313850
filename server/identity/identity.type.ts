import { Field, ID, ObjectType, registerEnumType } from "type-graphql";
import { encodeNodeId } from "../graphql/node-id.js";
import { Node } from "../graphql/node.type.js";
import { DateTime } from "../graphql/scalars.js";
import type { ApiTokenRecord, RoleBindingRecord, RoleName, UserRecord } from "./identity.repository.js";

export enum RoleValue {
  VIEWER = "VIEWER",
  EDITOR = "EDITOR",
  DEPLOYER = "DEPLOYER",
  AUDITOR = "AUDITOR",
  ADMIN = "ADMIN",
}
registerEnumType(RoleValue, { name: "Role", description: "What a role binding lets its user do (enforced in a later release)." });

export enum ApiTokenState {
  ACTIVE = "ACTIVE",
  EXPIRED = "EXPIRED",
  REVOKED = "REVOKED",
}
registerEnumType(ApiTokenState, { name: "ApiTokenState" });

@ObjectType({ description: "A role a user holds, everywhere or in one namespace." })
export class RoleBinding {
  @Field(() => RoleValue)
  role!: RoleName;

  @Field(() => ID, { nullable: true, description: "Null: the binding is global." })
  namespaceId!: string | null;

  @Field(() => DateTime)
  createdAt!: Date;

  static from(row: RoleBindingRecord): RoleBinding {
    return Object.assign(new RoleBinding(), {
      role: row.role,
      namespaceId: row.namespaceId ? encodeNodeId("Namespace", row.namespaceId) : null,
      createdAt: row.createdAt,
    });
  }
}

@ObjectType({ implements: Node, description: "A person or service that calls Pedigree with API tokens." })
export class User extends Node {
  @Field(() => String)
  email!: string;

  @Field(() => String, { nullable: true })
  displayName!: string | null;

  @Field(() => DateTime)
  createdAt!: Date;

  @Field(() => DateTime, { nullable: true })
  disabledAt!: Date | null;

  static from(row: UserRecord): User {
    return Object.assign(new User(), { ...row, key: row.id, id: encodeNodeId("User", row.id) });
  }
}

@ObjectType({ implements: Node, description: "An API token. Its secret is shown once, when created, and never stored." })
export class ApiToken extends Node {
  @Field(() => String)
  name!: string;

  @Field(() => DateTime)
  createdAt!: Date;

  @Field(() => DateTime, { nullable: true, description: "Null: the token does not expire." })
  expiresAt!: Date | null;

  @Field(() => DateTime, { nullable: true })
  revokedAt!: Date | null;

  @Field(() => DateTime, { nullable: true, description: "Updated at most once a minute." })
  lastUsedAt!: Date | null;

  @Field(() => ApiTokenState)
  state!: ApiTokenState;

  static from(row: ApiTokenRecord, now = new Date()): ApiToken {
    const state = row.revokedAt
      ? ApiTokenState.REVOKED
      : row.expiresAt && row.expiresAt.getTime() <= now.getTime()
        ? ApiTokenState.EXPIRED
        : ApiTokenState.ACTIVE;
    return Object.assign(new ApiToken(), {
      name: row.name,
      createdAt: row.createdAt,
      expiresAt: row.expiresAt,
      revokedAt: row.revokedAt,
      lastUsedAt: row.lastUsedAt,
      state,
      key: row.id,
      id: encodeNodeId("ApiToken", row.id),
    });
  }
}

@ObjectType()
export class CreateApiTokenPayload {
  @Field(() => ApiToken)
  apiToken!: ApiToken;

  @Field(() => String, {
    description: "The token to send as `Authorization: Bearer <secret>`. Shown only in this response; Pedigree keeps a hash.",
  })
  secret!: string;
}
