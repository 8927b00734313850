import type { Database } from "../db/database.js";
import type { Transaction } from "../db/transaction.js";
import type { NodeKind, NodeRef } from "../graphql/node-id.js";

/**
 * How to find the namespace of each kind of node: a statement over `= ANY($1)` keys returning
 * (key, namespace_id). Kinds missing here live outside namespaces (users, tokens, queue jobs…):
 * only a global binding reaches them.
 */
const NAMESPACE_OF: Partial<Record<NodeKind, string>> = {
  Namespace: "SELECT id::text AS key, id::text AS namespace_id FROM namespace WHERE id = ANY($1::uuid[])",
  Dataset: "SELECT id::text AS key, namespace_id::text FROM dataset WHERE id = ANY($1::uuid[])",
  FeatureSet: "SELECT id::text AS key, namespace_id::text FROM feature_set WHERE id = ANY($1::uuid[])",
  CodeCommit: "SELECT id::text AS key, namespace_id::text FROM code_commit WHERE id = ANY($1::uuid[])",
  Job: "SELECT id::text AS key, namespace_id::text FROM job WHERE id = ANY($1::uuid[])",
  Model: "SELECT id::text AS key, namespace_id::text FROM model WHERE id = ANY($1::uuid[])",
  Deployment: "SELECT id::text AS key, namespace_id::text FROM deployment WHERE id = ANY($1::uuid[])",
  DatasetVersion:
    "SELECT v.id::text AS key, d.namespace_id::text FROM dataset_version v JOIN dataset d ON d.id = v.dataset_id WHERE v.id = ANY($1::uuid[])",
  DatasetField:
    "SELECT f.id::text AS key, d.namespace_id::text FROM dataset_field f JOIN dataset_version v ON v.id = f.dataset_version_id JOIN dataset d ON d.id = v.dataset_id WHERE f.id = ANY($1::uuid[])",
  Feature:
    "SELECT f.id::text AS key, s.namespace_id::text FROM feature f JOIN feature_set s ON s.id = f.feature_set_id WHERE f.id = ANY($1::uuid[])",
  Run: "SELECT r.id::text AS key, j.namespace_id::text FROM run r JOIN job j ON j.id = r.job_id WHERE r.id = ANY($1::uuid[])",
  ModelVersion:
    "SELECT v.id::text AS key, m.namespace_id::text FROM model_version v JOIN model m ON m.id = v.model_id WHERE v.id = ANY($1::uuid[])",
  DeploymentRevision:
    "SELECT r.id::text AS key, d.namespace_id::text FROM deployment_revision r JOIN deployment d ON d.id = r.deployment_id WHERE r.id = ANY($1::uuid[])",
  Alert:
    "SELECT a.id::text AS key, d.namespace_id::text FROM alert a JOIN deployment d ON d.id = a.deployment_id WHERE a.id = ANY($1::uuid[])",
  AlertRule:
    "SELECT a.id::text AS key, d.namespace_id::text FROM alert_rule a JOIN deployment d ON d.id = a.deployment_id WHERE a.id = ANY($1::uuid[])",
  DriftReport:
    "SELECT a.id::text AS key, d.namespace_id::text FROM drift_report a JOIN deployment d ON d.id = a.deployment_id WHERE a.id = ANY($1::uuid[])",
  AuditEvent: "SELECT id::text AS key, namespace_id::text FROM audit_event WHERE id = ANY($1::bigint[])",
};

/** Where a node lives: a namespace id, null (outside any namespace), or absent (no such node). */
export type NodeNamespace = string | null;

export function nodeRefKey(ref: NodeRef): string {
  return `${ref.kind}:${ref.key}`;
}

/** Which namespace nodes and namespace names belong to; the access checks' only reads. */
export class NodeNamespaceRepository {
  private readonly knownNamespaceIds = new Map<string, string>();

  constructor(private readonly db: Database) {}

  /** Keyed by `Kind:key`; nodes that do not exist are missing from the map. */
  async namespacesOf(refs: readonly NodeRef[], tx?: Transaction): Promise<Map<string, NodeNamespace>> {
    const found = new Map<string, NodeNamespace>();
    const byKind = new Map<NodeKind, string[]>();
    for (const ref of refs) {
      const keys = byKind.get(ref.kind) ?? [];
      keys.push(ref.key);
      byKind.set(ref.kind, keys);
    }
    for (const [kind, keys] of byKind) {
      const statement = NAMESPACE_OF[kind];
      if (!statement) {
        // Outside namespaces: existence does not matter to access (the resolver reports unknown ids).
        for (const key of keys) found.set(`${kind}:${key}`, null);
        continue;
      }
      const rows = tx
        ? await tx.$queryRawUnsafe<Array<{ key: string; namespace_id: string | null }>>(statement, keys)
        : (await this.db.pool.query<{ key: string; namespace_id: string | null }>(statement, [keys])).rows;
      for (const row of rows) found.set(`${kind}:${row.key}`, row.namespace_id);
    }
    return found;
  }

  /**
   * Namespace ids by name; unknown names are missing from the map. Names found are remembered:
   * a namespace is never renamed or deleted, so the pair cannot go stale, and every OpenLineage
   * request and namespaced mutation asks.
   */
  async namespaceIdsByName(names: readonly string[]): Promise<Map<string, string>> {
    // Text Postgres cannot hold (NUL) names no namespace: unknown here, refused by validation later.
    names = names.filter((name) => !name.includes("\u0000"));
    const found = new Map<string, string>();
    const unknown = names.filter((name) => {
      const id = this.knownNamespaceIds.get(name);
      if (id !== undefined) found.set(name, id);
      return id === undefined;
    });
    if (unknown.length === 0) return found;
    const { rows } = await this.db.pool.query<{ id: string; name: string }>(
      "SELECT id::text, name FROM namespace WHERE name = ANY($1::text[])",
      [unknown],
    );
    if (this.knownNamespaceIds.size > 10_000) this.knownNamespaceIds.clear();
    for (const row of rows) {
      found.set(row.name, row.id);
      this.knownNamespaceIds.set(row.name, row.id);
    }
    return found;
  }
}
