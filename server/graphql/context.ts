import type { Loaders } from "./loaders.js";
import type { Services } from "../services.js";

/** Who performs a request. Identities and tokens arrive with the governance work; until then the
 *  actor is the `x-pedigree-actor` header or "anonymous". */
export interface Actor {
  name: string;
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
