import type { Database } from "../db/database.js";
import type { Transaction } from "../db/transaction.js";

export type RoleName = "VIEWER" | "EDITOR" | "DEPLOYER" | "AUDITOR" | "ADMIN";

export interface UserRecord {
  id: string;
  email: string;
  displayName: string | null;
  createdAt: Date;
  disabledAt: Date | null;
}

/** A token as stored: never the secret, only its hash (which is not exposed beyond this layer). */
export interface ApiTokenRecord {
  id: string;
  userId: string;
  name: string;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

export interface RoleBindingRecord {
  id: string;
  userId: string;
  role: RoleName;
  namespaceId: string | null;
  createdAt: Date;
}

const TOKEN_FIELDS = {
  id: true,
  userId: true,
  name: true,
  createdAt: true,
  expiresAt: true,
  revokedAt: true,
  lastUsedAt: true,
} as const;

export class IdentityRepository {
  constructor(private readonly db: Database) {}

  findUserByEmail(tx: Transaction | undefined, email: string): Promise<UserRecord | null> {
    return (tx ?? this.db.prisma).user.findUnique({ where: { email } });
  }

  findUserById(tx: Transaction | undefined, id: string): Promise<UserRecord | null> {
    return (tx ?? this.db.prisma).user.findUnique({ where: { id } });
  }

  createUser(tx: Transaction, data: { email: string; displayName: string | null }): Promise<UserRecord> {
    return tx.user.create({ data });
  }

  /** Adds the binding unless the user already holds it (the unique index treats NULL namespaces as equal). */
  async bindRole(tx: Transaction, userId: string, role: RoleName, namespaceId: string | null): Promise<boolean> {
    const inserted = await tx.$executeRaw`
      INSERT INTO role_binding (user_id, role, namespace_id)
      VALUES (${userId}::uuid, ${role}::"Role", ${namespaceId}::uuid)
      ON CONFLICT DO NOTHING`;
    return inserted > 0;
  }

  /** Removes the binding; false when the user did not hold it. */
  async unbindRole(tx: Transaction, userId: string, role: RoleName, namespaceId: string | null): Promise<boolean> {
    const deleted = await tx.$executeRaw`
      DELETE FROM role_binding
      WHERE user_id = ${userId}::uuid AND role = ${role}::"Role" AND namespace_id IS NOT DISTINCT FROM ${namespaceId}::uuid`;
    return deleted > 0;
  }

  async namespaceIdByName(tx: Transaction, name: string): Promise<string | null> {
    const found = await tx.namespace.findUnique({ where: { name }, select: { id: true } });
    return found?.id ?? null;
  }

  roleBindingsOf(userId: string): Promise<RoleBindingRecord[]> {
    return this.db.prisma.roleBinding.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });
  }

  async hasGlobalRole(userId: string, role: RoleName): Promise<boolean> {
    const count = await this.db.prisma.roleBinding.count({ where: { userId, role, namespaceId: null } });
    return count > 0;
  }

  countUsersWithGlobalRole(tx: Transaction, role: RoleName): Promise<number> {
    return tx.roleBinding.count({ where: { role, namespaceId: null } });
  }

  createToken(
    tx: Transaction,
    data: { userId: string; name: string; tokenHash: string; expiresAt: Date | null },
  ): Promise<ApiTokenRecord> {
    return tx.apiToken.create({ data, select: TOKEN_FIELDS });
  }

  /** The token with this hash and its user, for authentication. */
  findTokenByHash(tokenHash: string): Promise<(ApiTokenRecord & { user: UserRecord }) | null> {
    return this.db.prisma.apiToken.findUnique({ where: { tokenHash }, select: { ...TOKEN_FIELDS, user: true } });
  }

  tokenHashExists(tx: Transaction, tokenHash: string): Promise<boolean> {
    return tx.apiToken.count({ where: { tokenHash } }).then((count) => count > 0);
  }

  /** Reads the token and locks its row until the transaction ends (concurrent revocations take turns). */
  async findTokenForUpdate(tx: Transaction, id: string): Promise<ApiTokenRecord | null> {
    const locked = await tx.$queryRaw<Array<{ id: string }>>`SELECT id::text FROM api_token WHERE id = ${id}::uuid FOR UPDATE`;
    return locked.length === 0 ? null : tx.apiToken.findUnique({ where: { id }, select: TOKEN_FIELDS });
  }

  revokeToken(tx: Transaction, id: string, at: Date): Promise<ApiTokenRecord> {
    return tx.apiToken.update({ where: { id }, data: { revokedAt: at }, select: TOKEN_FIELDS });
  }

  tokensOf(userId: string): Promise<ApiTokenRecord[]> {
    return this.db.prisma.apiToken.findMany({
      where: { userId },
      select: TOKEN_FIELDS,
      orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    });
  }

  async touchToken(id: string, at: Date): Promise<void> {
    await this.db.prisma.apiToken.update({ where: { id }, data: { lastUsedAt: at }, select: { id: true } });
  }
}
