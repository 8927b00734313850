import { randomUUID } from "node:crypto";
import type { ChangeRecorder } from "../audit/change-recorder.js";
import type { Database } from "../db/database.js";
import { runInTransaction, type Transaction } from "../db/transaction.js";
import { EntityConflictError, EntityNotFoundError, InputInvalidError } from "../errors/common-errors.js";
import type { Actor, RequestMeta } from "../graphql/context.js";
import { generateApiTokenSecret, hashApiTokenSecret, isWellFormedApiToken } from "./api-token-secret.js";
import { IdentityForbiddenError, UnauthenticatedError } from "./identity.errors.js";
import type { ApiTokenRecord, IdentityRepository, RoleName, UserRecord } from "./identity.repository.js";

/** A role binding to add or remove: global when `namespace` is absent. */
export interface RoleBindingChange {
  userId: string;
  role: RoleName;
  namespace?: string | null | undefined;
}

/** A token just created: the only moment its secret exists outside the client. */
export interface IssuedApiToken {
  token: ApiTokenRecord;
  secret: string;
}

export interface IdentityOptions {
  /** lastUsedAt is written at most this often per token (not once per request). @defaultValue 60000 */
  lastUsedWriteIntervalMs?: number;
}

/** Credentials a WebSocket client may put in its connection_init payload, or an HTTP header. */
export interface PresentedCredentials {
  /** `Bearer <token>` (the Authorization header, or `connectionParams.authorization`). */
  authorization?: unknown;
  /** The bare token (`connectionParams.token`). */
  token?: unknown;
}

const EMAIL_PATTERN = /^[^\s@\p{Cc}]+@[^\s@\p{Cc}]+$/u;
const BEARER_PATTERN = /^Bearer[ \t]+(\S+)[ \t]*$/i;
const LOCAL_ADMIN_EMAIL = "admin@localhost";

/** Meta of writes that no request caused (bootstrap from configuration, the CLI). */
export function systemMeta(actorName: string): RequestMeta {
  return { actor: { name: actorName }, requestId: randomUUID(), clientAddress: undefined };
}

export function normalizeEmail(field: string, email: string): string {
  const normalized = email.trim().toLowerCase();
  if (normalized.length > 254 || !EMAIL_PATTERN.test(normalized)) {
    throw new InputInvalidError(field, "must be an e-mail address such as you@example.com.");
  }
  return normalized;
}

/** Users, their API tokens, and turning a presented token into the request's actor. */
export class IdentityService {
  private readonly lastUsedWriteIntervalMs: number;
  /** When this process last wrote each token's lastUsedAt (ms). */
  private readonly lastUsedWrites = new Map<string, number>();

  constructor(
    private readonly db: Database,
    private readonly identities: IdentityRepository,
    private readonly recorder: ChangeRecorder,
    options: IdentityOptions = {},
  ) {
    this.lastUsedWriteIntervalMs = options.lastUsedWriteIntervalMs ?? 60_000;
  }

  /**
   * The actor of a request that presented these credentials: undefined when none were presented
   * (anonymous), the token's user when valid, else UnauthenticatedError saying what is wrong.
   */
  async actorFor(credentials: PresentedCredentials): Promise<Actor | undefined> {
    const { authorization, token } = credentials;
    if (authorization !== undefined && authorization !== null) {
      if (typeof authorization !== "string") throw new UnauthenticatedError("MALFORMED");
      const match = BEARER_PATTERN.exec(authorization);
      if (!match?.[1]) throw new UnauthenticatedError("MALFORMED");
      return this.authenticate(match[1]);
    }
    if (token !== undefined && token !== null) {
      if (typeof token !== "string") throw new UnauthenticatedError("MALFORMED");
      return this.authenticate(token);
    }
    return undefined;
  }

  /** The actor of a valid token; writes nothing unless lastUsedAt is due. */
  async authenticate(secret: string): Promise<Actor> {
    if (!isWellFormedApiToken(secret)) throw new UnauthenticatedError("MALFORMED");
    const token = await this.identities.findTokenByHash(hashApiTokenSecret(secret));
    if (!token) throw new UnauthenticatedError("UNKNOWN");
    const now = new Date();
    if (token.revokedAt) throw new UnauthenticatedError("REVOKED");
    if (token.expiresAt && token.expiresAt.getTime() <= now.getTime()) throw new UnauthenticatedError("EXPIRED");
    if (token.user.disabledAt) throw new UnauthenticatedError("DISABLED");
    await this.noteUse(token, now);
    return { name: token.user.email, userId: token.user.id, tokenId: token.id };
  }

  /** The caller's user; null for anonymous requests. */
  me(meta: RequestMeta): Promise<UserRecord | null> {
    return meta.actor.userId ? this.identities.findUserById(undefined, meta.actor.userId) : Promise.resolve(null);
  }

  roleBindingsOf(userId: string) {
    return this.identities.roleBindingsOf(userId);
  }

  /** The caller's tokens, newest first (never their secrets). */
  listApiTokens(meta: RequestMeta): Promise<ApiTokenRecord[]> {
    return this.identities.tokensOf(this.requireUser(meta));
  }

  /** ADMIN only: a new user, optionally with a global role. */
  async createUser(
    meta: RequestMeta,
    input: { email: string; displayName?: string | null | undefined; role?: RoleName | null | undefined },
  ): Promise<UserRecord> {
    await this.requireAdmin(meta, "create users");
    const email = normalizeEmail("input.email", input.email);
    return runInTransaction(this.db, async (tx) => {
      if (await this.identities.findUserByEmail(tx, email)) throw new EntityConflictError("User", email, "already exists.");
      const user = await this.identities.createUser(tx, { email, displayName: input.displayName ?? null });
      if (input.role) await this.identities.bindRole(tx, user.id, input.role, null);
      await this.recorder.record(tx, meta, {
        action: "user.created",
        target: { kind: "User", id: user.id },
        after: { ...user, roles: input.role ? [input.role] : [] },
      });
      return user;
    });
  }

  /**
   * Binds a role to a user, globally or in one namespace (the auth checker has required ADMIN
   * there). Binding a role the user holds already changes nothing and records nothing.
   */
  async grantRole(meta: RequestMeta, input: RoleBindingChange): Promise<UserRecord> {
    return this.changeBinding(meta, input, "user.role_granted", (tx, userId, namespaceId) =>
      this.identities.bindRole(tx, userId, input.role, namespaceId),
    );
  }

  /** Removes a binding; removing one the user does not hold changes nothing. */
  async revokeRole(meta: RequestMeta, input: RoleBindingChange): Promise<UserRecord> {
    return this.changeBinding(meta, input, "user.role_revoked", (tx, userId, namespaceId) =>
      this.identities.unbindRole(tx, userId, input.role, namespaceId),
    );
  }

  private changeBinding(
    meta: RequestMeta,
    input: RoleBindingChange,
    action: string,
    apply: (tx: Transaction, userId: string, namespaceId: string | null) => Promise<boolean>,
  ): Promise<UserRecord> {
    return runInTransaction(this.db, async (tx) => {
      const user = await this.identities.findUserById(tx, input.userId);
      if (!user) throw new EntityNotFoundError("User", input.userId, "input.userId");
      let namespaceId: string | null = null;
      if (input.namespace) {
        namespaceId = await this.identities.namespaceIdByName(tx, input.namespace);
        if (!namespaceId) throw new EntityNotFoundError("Namespace", input.namespace, "input.namespace");
      }
      if (await apply(tx, user.id, namespaceId)) {
        // The binding's namespace is the change's: granting in a namespace takes ADMIN there.
        await this.recorder.record(tx, meta, {
          action,
          target: { kind: "User", id: user.id, namespaceId: namespaceId ?? undefined },
          after: { role: input.role, namespace: input.namespace ?? null },
        });
      }
      return user;
    });
  }

  /**
   * A new token for the caller (or, for an ADMIN, for `userId`). The secret is returned here once;
   * only its SHA-256 is stored.
   */
  async createApiToken(
    meta: RequestMeta,
    input: { name: string; expiresAt?: Date | null | undefined; userId?: string | null | undefined },
  ): Promise<IssuedApiToken> {
    const callerId = meta.actor.userId;
    // Anonymous callers (an anonymous ADMIN role) have no tokens of their own: they must name the user.
    const userId = input.userId ?? this.requireUser(meta);
    if (userId !== callerId) await this.requireAdmin(meta, "create tokens for other users");
    if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) {
      throw new InputInvalidError("input.expiresAt", "must be in the future.");
    }
    return runInTransaction(this.db, async (tx) => {
      const user = await this.identities.findUserById(tx, userId);
      if (!user) throw new EntityNotFoundError("User", userId, "input.userId");
      return this.issueToken(tx, meta, user.id, input.name, input.expiresAt ?? null);
    });
  }

  /** Revokes one of the caller's tokens (an ADMIN may revoke any). Revoking twice changes nothing. */
  async revokeApiToken(meta: RequestMeta, tokenId: string): Promise<ApiTokenRecord> {
    const callerId = meta.actor.userId;
    const admin = await this.isGlobalAdmin(meta);
    if (!callerId && !admin) throw new UnauthenticatedError("MISSING");
    return runInTransaction(this.db, async (tx) => {
      const before = await this.identities.findTokenForUpdate(tx, tokenId);
      // Another user's token is reported as missing: its existence is not the caller's business.
      if (!before || (before.userId !== callerId && !admin)) throw new EntityNotFoundError("ApiToken", tokenId, "id");
      if (before.revokedAt) return before;
      const after = await this.identities.revokeToken(tx, tokenId, new Date());
      await this.recorder.record(tx, meta, {
        action: "api_token.revoked",
        target: { kind: "ApiToken", id: tokenId },
        before,
        after,
        at: after.revokedAt ?? undefined,
      });
      return after;
    });
  }

  /**
   * First admin from configuration: the user exists with a global ADMIN binding, and when `secret`
   * is given its hash is stored as a token (once). Idempotent; safe on every start.
   */
  async bootstrapAdmin(meta: RequestMeta, input: { email: string; secret?: string | undefined }) {
    const email = normalizeEmail("PEDIGREE_ADMIN_EMAIL", input.email);
    if (input.secret !== undefined && !isWellFormedApiToken(input.secret)) {
      throw new InputInvalidError(
        "PEDIGREE_ADMIN_TOKEN",
        "must look like pdg_ followed by 43 letters and digits (`npm run admin:token -- --generate` prints one).",
      );
    }
    return runInTransaction(this.db, async (tx) => {
      const { user, created } = await this.ensureAdminUser(tx, meta, email);
      let storedToken = false;
      if (input.secret !== undefined) {
        const tokenHash = hashApiTokenSecret(input.secret);
        if (!(await this.identities.tokenHashExists(tx, tokenHash))) {
          const token = await this.identities.createToken(tx, {
            userId: user.id,
            name: "configured admin token",
            tokenHash,
            expiresAt: null,
          });
          await this.recordTokenCreated(tx, meta, token);
          storedToken = true;
        }
      }
      return { user, createdUser: created, storedToken };
    });
  }

  /** The CLI's `admin:token`: the admin user (created or reused) and a new token for it. */
  issueAdminToken(meta: RequestMeta, input: { email: string; name: string; expiresAt?: Date | null | undefined }) {
    const email = normalizeEmail("--email", input.email);
    return runInTransaction(this.db, async (tx) => {
      const { user, created } = await this.ensureAdminUser(tx, meta, email);
      const issued = await this.issueToken(tx, meta, user.id, input.name, input.expiresAt ?? null);
      return { user, createdUser: created, issued };
    });
  }

  /**
   * Embedded quick start: when no global ADMIN exists yet, a local admin with one token. Returns
   * undefined when an admin already exists (the token was shown on the first start only).
   */
  ensureLocalAdmin(meta: RequestMeta): Promise<{ user: UserRecord; issued: IssuedApiToken } | undefined> {
    return runInTransaction(this.db, async (tx) => {
      if ((await this.identities.countUsersWithGlobalRole(tx, "ADMIN")) > 0) return undefined;
      const { user } = await this.ensureAdminUser(tx, meta, LOCAL_ADMIN_EMAIL);
      const issued = await this.issueToken(tx, meta, user.id, "quick start", null);
      return { user, issued };
    });
  }

  /**
   * `--demo`: a token of demo-seed@localhost (global EDITOR and DEPLOYER, so the seed acts as a
   * user and is audited as one) that expires in 15 minutes.
   */
  issueDemoSeedToken(meta: RequestMeta): Promise<IssuedApiToken> {
    return runInTransaction(this.db, async (tx) => {
      const email = "demo-seed@localhost";
      let user = await this.identities.findUserByEmail(tx, email);
      if (!user) {
        user = await this.identities.createUser(tx, { email, displayName: "Demo data seed" });
        await this.recorder.record(tx, meta, {
          action: "user.created",
          target: { kind: "User", id: user.id },
          after: { ...user, roles: ["EDITOR", "DEPLOYER"] },
        });
      }
      for (const role of ["EDITOR", "DEPLOYER"] as const) await this.identities.bindRole(tx, user.id, role, null);
      return this.issueToken(tx, meta, user.id, "demo seed", new Date(Date.now() + 15 * 60_000));
    });
  }

  private async ensureAdminUser(tx: Transaction, meta: RequestMeta, email: string) {
    let user = await this.identities.findUserByEmail(tx, email);
    const created = !user;
    if (!user) {
      user = await this.identities.createUser(tx, { email, displayName: null });
      await this.recorder.record(tx, meta, {
        action: "user.created",
        target: { kind: "User", id: user.id },
        after: { ...user, roles: ["ADMIN"] },
      });
    }
    if ((await this.identities.bindRole(tx, user.id, "ADMIN", null)) && !created) {
      await this.recorder.record(tx, meta, {
        action: "user.role_bound",
        target: { kind: "User", id: user.id },
        after: { role: "ADMIN", namespaceId: null },
      });
    }
    return { user, created };
  }

  private async issueToken(
    tx: Transaction,
    meta: RequestMeta,
    userId: string,
    name: string,
    expiresAt: Date | null,
  ): Promise<IssuedApiToken> {
    const secret = generateApiTokenSecret();
    const token = await this.identities.createToken(tx, { userId, name, tokenHash: hashApiTokenSecret(secret), expiresAt });
    await this.recordTokenCreated(tx, meta, token);
    return { token, secret };
  }

  private recordTokenCreated(tx: Transaction, meta: RequestMeta, token: ApiTokenRecord) {
    return this.recorder.record(tx, meta, {
      action: "api_token.created",
      target: { kind: "ApiToken", id: token.id },
      after: token,
      at: token.createdAt,
    });
  }

  private requireUser(meta: RequestMeta): string {
    if (!meta.actor.userId) throw new UnauthenticatedError("MISSING");
    return meta.actor.userId;
  }

  private async requireAdmin(meta: RequestMeta, what: string): Promise<void> {
    if (!(await this.isGlobalAdmin(meta))) {
      if (!meta.access && !meta.actor.userId) throw new UnauthenticatedError("MISSING");
      throw new IdentityForbiddenError(`Only an ADMIN may ${what}.`);
    }
  }

  /** A global ADMIN: by the request's access scope (which covers the anonymous role), else by the user's bindings. */
  private async isGlobalAdmin(meta: RequestMeta): Promise<boolean> {
    if (meta.access) return meta.access.can(["ADMIN"], null);
    return meta.actor.userId ? this.identities.hasGlobalRole(meta.actor.userId, "ADMIN") : false;
  }

  /** lastUsedAt at most once per interval per token, across processes (the stored value counts too). */
  private async noteUse(token: ApiTokenRecord, now: Date): Promise<void> {
    const lastWrite = Math.max(this.lastUsedWrites.get(token.id) ?? 0, token.lastUsedAt?.getTime() ?? 0);
    if (now.getTime() - lastWrite < this.lastUsedWriteIntervalMs) return;
    this.lastUsedWrites.set(token.id, now.getTime());
    // The map is a cache of recent writes; dropping it only costs an early write.
    if (this.lastUsedWrites.size > 10_000) this.lastUsedWrites.clear();
    await this.identities.touchToken(token.id, now);
  }
}
