import { DatasetRepository } from "./dataset/dataset.repository.js";
import { AuditEventRepository } from "./audit/audit-event.repository.js";
import type { Database } from "./db/database.js";
import { GraphOutboxRepository } from "./lineage/graph-outbox.repository.js";
import { LineageEdgeRepository } from "./lineage/lineage-edge.repository.js";
import { LineageNodeRepository } from "./lineage/lineage-node.repository.js";
import { NamespaceRepository } from "./namespace/namespace.repository.js";

/** Every repository, created once per process; services and DataLoaders share them. */
export function createRepositories(db: Database) {
  return {
    namespaces: new NamespaceRepository(db),
    lineageEdges: new LineageEdgeRepository(db),
    lineageNodes: new LineageNodeRepository(),
    datasets: new DatasetRepository(db),
    graphOutbox: new GraphOutboxRepository(),
    auditEvents: new AuditEventRepository(db),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
