import type { PedigreeConfig } from "../server/config.js";
import type { Services } from "../server/services.js";
import type { JobHandler } from "./worker-host.js";

/** Every kind of work the workers do; the worker host routes jobs to these by queue and name. */
export function createJobHandlers(_services: Services, _config: PedigreeConfig): JobHandler[] {
  return [];
}
