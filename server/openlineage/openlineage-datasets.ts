import type { ColumnLineageService } from "../dataset/column-lineage.service.js";
import type { DatasetRecord, DatasetVersionRecord } from "../dataset/dataset.repository.js";
import type { DatasetService } from "../dataset/dataset.service.js";
import type { Transaction } from "../db/transaction.js";
import type { RequestMeta } from "../graphql/context.js";
import type { NamespaceService } from "../namespace/namespace.service.js";
import type { Facets, OpenLineageDataset } from "./openlineage-event.js";
import {
  columnLineageOf,
  datasetVersionOf,
  formatOf,
  outputStatisticsOf,
  schemaFieldsOf,
  uriOf,
  versionDigest,
} from "./openlineage-facets.js";
import type { FacetWrite } from "./openlineage.repository.js";

/** What one event's datasets resolve to inside its transaction. */
export interface ResolvedDataset {
  dataset: DatasetRecord;
  namespaceId: string;
}

const key = (namespace: string, name: string) => `${namespace}\u0000${name}`;

/**
 * Maps OpenLineage datasets onto Pedigree datasets and versions inside one event's transaction:
 * namespaces and datasets by name, the exact input versions a run read, the versions a completed
 * run wrote, and column lineage. Facets to store are collected in `facets`.
 */
export class OpenLineageDatasetMapper {
  readonly facets: FacetWrite[] = [];
  private readonly namespaceIds = new Map<string, string>();
  private readonly datasets = new Map<string, ResolvedDataset>();

  constructor(
    private readonly tx: Transaction,
    private readonly meta: RequestMeta,
    private readonly at: Date,
    private readonly services: { namespaces: NamespaceService; datasets: DatasetService; columnLineage: ColumnLineageService },
  ) {}

  async namespaceId(name: string): Promise<string> {
    const known = this.namespaceIds.get(name);
    if (known) return known;
    const namespace = await this.services.namespaces.ensure(this.tx, this.meta, name);
    this.namespaceIds.set(name, namespace.id);
    return namespace.id;
  }

  /** The dataset (created when new), its facets queued for storing. */
  async dataset(dataset: OpenLineageDataset): Promise<ResolvedDataset> {
    const id = key(dataset.namespace, dataset.name);
    let resolved = this.datasets.get(id);
    if (!resolved) {
      const namespaceId = await this.namespaceId(dataset.namespace);
      const { dataset: row } = await this.services.datasets.ensureIn(this.tx, this.meta, namespaceId, dataset.name);
      resolved = { dataset: row, namespaceId };
      this.datasets.set(id, resolved);
    }
    this.queueFacets("Dataset", resolved.dataset.id, dataset.facets);
    return resolved;
  }

  queueFacets(nodeKind: FacetWrite["nodeKind"], nodeId: string, facets: Facets | undefined, prefix = ""): void {
    for (const [name, value] of Object.entries(facets ?? {})) {
      this.facets.push({ nodeKind, nodeId, name: `${prefix}${name}`, facet: value, eventTime: this.at });
    }
  }

  /**
   * The version a run read: the one whose snapshot reference is the `version` facet when sent,
   * else the version current at the event time. When Pedigree knows none yet, the version is
   * recorded as observed (no producer) at the event time, so the read is never lost.
   */
  async inputVersion(input: OpenLineageDataset & { inputFacets?: Facets }): Promise<DatasetVersionRecord> {
    const { dataset, namespaceId } = await this.dataset(input);
    const snapshotRef = datasetVersionOf(input);
    const found = snapshotRef
      ? await this.services.datasets.versionBySnapshotRef(this.tx, dataset.id, snapshotRef)
      : await this.services.datasets.versionAt(this.tx, dataset.id, this.at);
    const version = found ?? (await this.ensureVersion(input, dataset, namespaceId, null, undefined)).datasetVersion;
    this.queueFacets("DatasetVersion", version.id, input.inputFacets, "input.");
    return version;
  }

  /** The version a completed run wrote (new when its producer, `version` facet or schema is new). */
  async outputVersion(output: OpenLineageDataset & { outputFacets?: Facets }, runId: string) {
    const { dataset, namespaceId } = await this.dataset(output);
    const result = await this.ensureVersion(output, dataset, namespaceId, runId, output.outputFacets);
    this.queueFacets("DatasetVersion", result.datasetVersion.id, output.facets);
    this.queueFacets("DatasetVersion", result.datasetVersion.id, output.outputFacets, "output.");
    return result;
  }

  /** A version for a dataset event that names a schema or `version` facet (no producer). */
  async declaredVersion(declared: OpenLineageDataset): Promise<DatasetVersionRecord | null> {
    if (schemaFieldsOf(declared).length === 0 && !datasetVersionOf(declared)) return null;
    const { dataset, namespaceId } = await this.dataset(declared);
    const { datasetVersion } = await this.ensureVersion(declared, dataset, namespaceId, null, undefined);
    this.queueFacets("DatasetVersion", datasetVersion.id, declared.facets);
    return datasetVersion;
  }

  /**
   * Column lineage of an output version from its `columnLineage` facet: each input field's version
   * is the one the run read from that dataset, else the one current at the event time.
   */
  async registerColumnLineage(
    output: OpenLineageDataset,
    outputVersion: DatasetVersionRecord,
    runId: string,
    consumed: ReadonlyMap<string, DatasetVersionRecord>,
  ): Promise<void> {
    const lineage = columnLineageOf(output);
    if (lineage.length === 0) return;
    const fields = [];
    for (const { field, inputs } of lineage) {
      const resolved = [];
      for (const input of inputs) {
        const version =
          consumed.get(key(input.namespace, input.name)) ??
          (await this.inputVersion({ namespace: input.namespace, name: input.name }));
        resolved.push({
          datasetVersion: { id: version.id, shownAs: `${input.namespace}/${input.name}` },
          field: input.field,
          transformations: input.transformations,
        });
      }
      if (resolved.length > 0) fields.push({ field, inputs: resolved });
    }
    if (fields.length === 0) return;
    await this.services.columnLineage.registerIn(this.tx, this.meta, {
      output: { id: outputVersion.id, shownAs: `${output.namespace}/${output.name}` },
      run: { id: runId, shownAs: runId },
      fields,
    });
  }

  consumedKey(dataset: OpenLineageDataset): string {
    return key(dataset.namespace, dataset.name);
  }

  private ensureVersion(
    source: OpenLineageDataset,
    dataset: DatasetRecord,
    namespaceId: string,
    producedByRunId: string | null,
    outputFacets: Facets | undefined,
  ) {
    const schemaFields = schemaFieldsOf(source);
    const snapshotRef = datasetVersionOf(source);
    return this.services.datasets.ensureVersionIn(
      this.tx,
      this.meta,
      namespaceId,
      {
        datasetId: dataset.id,
        uri: uriOf(source),
        format: formatOf(source),
        digest: versionDigest(producedByRunId, snapshotRef, schemaFields),
        schemaFields,
        ...outputStatisticsOf(outputFacets),
        snapshotRef,
        createdAt: this.at,
      },
      producedByRunId,
    );
  }
}
