import { ChangeRecorder } from "./audit/change-recorder.js";
import type { Database } from "./db/database.js";
import { DatasetService } from "./dataset/dataset.service.js";
import { LineageNodeGuard } from "./lineage/lineage-node-guard.js";
import { NamespaceService } from "./namespace/namespace.service.js";
import type { Repositories } from "./repositories.js";

/** Every domain service, created once per process. Services are the only code that writes. */
export function createServices(db: Database, repos: Repositories) {
  const recorder = new ChangeRecorder(repos.lineageEdges, repos.auditEvents, repos.graphOutbox);
  const guard = new LineageNodeGuard(repos.lineageNodes);
  const namespaces = new NamespaceService(db, repos.namespaces, recorder);
  const datasets = new DatasetService(db, repos.datasets, namespaces, guard, recorder);
  return { namespaces, datasets };
}

export type Services = ReturnType<typeof createServices>;
