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
}

export interface RequestContext extends RequestMeta {
  services: Services;
  loaders: Loaders;
}
