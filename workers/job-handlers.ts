import { ArtifactStore } from "../server/artifacts/artifact-store.js";
import type { PedigreeConfig } from "../server/config.js";
import type { Services } from "../server/services.js";
import { trainModelHandler } from "./processors/train-model.processor.js";
import { sweepHandler } from "./processors/sweep.processor.js";
import { monitorDeploymentHandler } from "./processors/monitor-deployment.processor.js";
import { rolloutCheckHandler } from "./processors/rollout.processor.js";
import { batchInferenceHandler } from "./processors/batch-inference.processor.js";
import { exportHandler } from "./processors/export.processor.js";
import type { JobHandler } from "./worker-host.js";

/** Every kind of work the workers do; the worker host routes jobs to these by queue and name. */
export function createJobHandlers(services: Services, config: PedigreeConfig): JobHandler[] {
  return [
    trainModelHandler(services, new ArtifactStore(config.artifactDir)),
    sweepHandler(services),
    monitorDeploymentHandler(services),
    rolloutCheckHandler(services, { checkIntervalMs: services.rollouts.settings.checkIntervalMs }),
    batchInferenceHandler(services, config.artifactDir),
    exportHandler(services),
  ];
}
