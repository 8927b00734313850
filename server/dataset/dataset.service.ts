import type { ChangeRecorder } from "../audit/change-recorder.js";
import type { Database } from "../db/database.js";
import { runInTransaction, type Transaction } from "../db/transaction.js";
import type { RequestMeta } from "../graphql/context.js";
import { type PageRequest, type SortDirection, paginate } from "../lib/paginate.js";
import type { NewLineageEdge } from "../lineage/lineage-edge.js";
import type { LineageNodeGuard } from "../lineage/lineage-node-guard.js";
import type { NamespaceService } from "../namespace/namespace.service.js";
import { DatasetNotFoundError, DatasetVersionConflictError, DatasetVersionProducerConflictError } from "./dataset.errors.js";
import type {
  DatasetFilter,
  DatasetFormat,
  DatasetRecord,
  DatasetRepository,
  DatasetVersionFilter,
  DatasetVersionRecord,
} from "./dataset.repository.js";
import type { SchemaField } from "./schema-field.js";

export interface RegisterDatasetVersionCommand {
  namespace: string;
  dataset: string;
  uri: string;
  format: DatasetFormat;
  digest: string;
  schemaFields: SchemaField[];
  rowCount: number | null;
  sizeBytes: number | null;
  snapshotRef: string | null;
  /** Row key of the run that wrote this version, and the client's id for error messages. */
  producedBy?: { runId: string; shownAs: string } | undefined;
}

function producedEdge(runId: string, datasetVersionId: string): NewLineageEdge {
  return {
    upstream: { type: "RUN", id: runId },
    downstream: { type: "DATASET_VERSION", id: datasetVersionId },
    kind: "PRODUCED",
  };
}

export class DatasetService {
  constructor(
    private readonly db: Database,
    private readonly datasets: DatasetRepository,
    private readonly namespaces: NamespaceService,
    private readonly guard: LineageNodeGuard,
    private readonly recorder: ChangeRecorder,
  ) {}

  /** Registers a dataset by namespace + name; an existing one is returned unchanged. */
  register(meta: RequestMeta, input: { namespace: string; name: string; description?: string | null | undefined }) {
    return runInTransaction(this.db, async (tx) => {
      const namespace = await this.namespaces.ensure(tx, meta, input.namespace);
      return this.ensureDataset(tx, meta, namespace.id, input.name, input.description ?? null);
    });
  }

  update(meta: RequestMeta, id: string, input: { description?: string | null | undefined }) {
    return runInTransaction(this.db, async (tx) => {
      const before = await this.datasets.findByIdForUpdate(tx, id);
      if (!before) throw new DatasetNotFoundError(id, "input.id");
      const after = await this.datasets.update(tx, id, input);
      await this.recorder.record(tx, meta, {
        action: "dataset.updated",
        target: { kind: "Dataset", id, namespaceId: after.namespaceId },
        before,
        after,
      });
      return after;
    });
  }

  /**
   * Registers an immutable dataset version. The same namespace + dataset + digest always yields
   * the same version (a second call returns it with `created: false`); a new digest gets the next
   * version number. Creates the namespace and dataset when they are new. A repeat call must agree
   * with the stored version (uri, format, producer); it may add a producer the version lacked.
   */
  registerVersion(meta: RequestMeta, command: RegisterDatasetVersionCommand) {
    return runInTransaction(this.db, async (tx) => {
      const namespace = await this.namespaces.ensure(tx, meta, command.namespace);
      const { dataset } = await this.ensureDataset(tx, meta, namespace.id, command.dataset, null);
      await this.datasets.lockForNewVersion(tx, dataset.id);
      const existing = await this.datasets.findVersionByDigest(tx, dataset.id, command.digest);
      if (existing) {
        await this.reconcile(tx, meta, namespace.id, existing, command);
        return { dataset, datasetVersion: existing, created: false };
      }
      if (command.producedBy) await this.requireRun(tx, command.producedBy);
      const version = (await this.datasets.latestVersionNumber(tx, dataset.id)) + 1;
      const datasetVersion = await this.datasets.createVersion(tx, {
        datasetId: dataset.id,
        version,
        uri: command.uri,
        format: command.format,
        digest: command.digest,
        schemaFields: command.schemaFields,
        rowCount: command.rowCount,
        sizeBytes: command.sizeBytes,
        snapshotRef: command.snapshotRef,
      });
      await this.recorder.record(tx, meta, {
        action: "dataset_version.registered",
        target: { kind: "DatasetVersion", id: datasetVersion.id, namespaceId: namespace.id },
        after: datasetVersion,
        addEdges: command.producedBy ? [producedEdge(command.producedBy.runId, datasetVersion.id)] : [],
      });
      return { dataset, datasetVersion, created: true };
    });
  }

  /** The dataset called `name` in the namespace called `namespace`, or null. */
  findByQualifiedName(namespace: string, name: string): Promise<DatasetRecord | null> {
    return this.datasets.findByQualifiedName(namespace, name);
  }

  async list(filter: DatasetFilter, page: PageRequest, field: "name" | "createdAt" | "updatedAt", direction: SortDirection) {
    const result = await paginate<DatasetRecord>(page, field, direction, (query) => this.datasets.list(filter, query));
    return { page: result, count: () => this.datasets.count(filter) };
  }

  async listVersions(filter: DatasetVersionFilter, page: PageRequest, field: "version" | "createdAt", direction: SortDirection) {
    const result = await paginate<DatasetVersionRecord>(page, field, direction, (query) =>
      this.datasets.listVersions(filter, query),
    );
    return { page: result, count: () => this.datasets.countVersions(filter) };
  }

  /**
   * Checks a repeat registration of a stored version against it: another uri, format or producer is
   * a CONFLICT (a version is immutable), while a producer the version did not have yet is added.
   */
  private async reconcile(
    tx: Transaction,
    meta: RequestMeta,
    namespaceId: string,
    existing: DatasetVersionRecord,
    command: RegisterDatasetVersionCommand,
  ) {
    const shown = `${command.namespace}/${command.dataset}`;
    if (existing.uri !== command.uri) {
      throw new DatasetVersionConflictError(shown, existing.version, "uri", existing.uri, command.uri);
    }
    if (existing.format !== command.format) {
      throw new DatasetVersionConflictError(shown, existing.version, "format", existing.format, command.format);
    }
    if (!command.producedBy) return;
    const producer = await this.datasets.findProducerRunId(tx, existing.id);
    if (producer === command.producedBy.runId) return;
    if (producer) {
      throw new DatasetVersionProducerConflictError(shown, existing.version, producer, command.producedBy.shownAs);
    }
    await this.requireRun(tx, command.producedBy);
    await this.recorder.record(tx, meta, {
      action: "dataset_version.producer_added",
      target: { kind: "DatasetVersion", id: existing.id, namespaceId },
      before: { ...existing, producedByRunId: null },
      after: { ...existing, producedByRunId: command.producedBy.runId },
      addEdges: [producedEdge(command.producedBy.runId, existing.id)],
    });
  }

  private requireRun(tx: Transaction, run: { runId: string; shownAs: string }) {
    return this.guard.requireAll(tx, [{ type: "RUN", id: run.runId, shownAs: run.shownAs, field: "input.producedByRunId" }]);
  }

  private async ensureDataset(tx: Transaction, meta: RequestMeta, namespaceId: string, name: string, description: string | null) {
    const existing = await this.datasets.findByName(tx, namespaceId, name);
    if (existing) return { dataset: existing, created: false };
    const dataset = await this.datasets.create(tx, { namespaceId, name, description });
    await this.recorder.record(tx, meta, {
      action: "dataset.registered",
      target: { kind: "Dataset", id: dataset.id, namespaceId },
      after: dataset,
    });
    return { dataset, created: true };
  }
}
