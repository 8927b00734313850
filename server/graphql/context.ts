import type { AccessScope } from "../access/access-scope.js";
import type { RoleName } from "../access/role.js";
import type { Loaders } from "./loaders.js";
import type { Services } from "../services.js";

/**
 * Who performs a request. With a valid API token it is the token's user (named by e-mail); without
 * one it is the `x-pedigree-actor` header or "anonymous" (roles are not enforced yet).
 */
export interface Actor {
  name: string;
  /** The authenticated user; absent for anonymous requests. */
  userId?: string | undefined;
  /** The API token the request presented (recorded by audit); absent for anonymous requests. */
  tokenId?: string | undefined;
}

/** Facts about the request that every audit event records. */
export interface RequestMeta {
  actor: Actor;
  requestId: string;
  clientAddress: string | undefined;
  /**
   * What the caller may do; absent only for work no request caused (workers, start-up), which
   * acts with the system's authority.
   */
  access?: AccessScope | undefined;
  /**
   * The roles the running operation asks for (its `@Authorized(...)`, or the REST route's); the
   * change recorder requires one of them in the namespace of every change it writes.
   */
  operationRoles?: readonly RoleName[] | undefined;
}

export interface RequestContext extends RequestMeta {
  access: AccessScope;
  services: Services;
  loaders: Loaders;
}
