import type { ChangeRecorder } from "../audit/change-recorder.js";
import type { Database } from "../db/database.js";
import { runInTransaction } from "../db/transaction.js";
import type { RequestMeta } from "../graphql/context.js";
import { type PageRequest, type SortDirection, paginate } from "../lib/paginate.js";
import type { NewLineageEdge } from "../lineage/lineage-edge.js";
import type { LineageNodeGuard } from "../lineage/lineage-node-guard.js";
import type { FeatureSetRepository } from "./feature-set.repository.js";
import { FeatureNotFoundError, FeatureSetNotFoundError } from "./feature.errors.js";
import type { FeatureFilter, FeatureRecord, FeatureRepository } from "./feature.repository.js";

/** An id the client sent: the row key, and the client's id for error messages. */
export interface ClientRef {
  id: string;
  shownAs: string;
}

export interface RegisterFeatureCommand {
  featureSet: ClientRef;
  name: string;
  dtype: string;
  description: string | null;
  transformationRef: string | null;
  /** Dataset versions the feature is computed from; `field` is the input path for errors. */
  sources: Array<ClientRef & { field: string }>;
}

function sourceEdge(datasetVersionId: string, featureId: string): NewLineageEdge {
  return {
    upstream: { type: "DATASET_VERSION", id: datasetVersionId },
    downstream: { type: "FEATURE", id: featureId },
    kind: "SOURCE_OF",
  };
}

export class FeatureService {
  constructor(
    private readonly db: Database,
    private readonly features: FeatureRepository,
    private readonly featureSets: FeatureSetRepository,
    private readonly guard: LineageNodeGuard,
    private readonly recorder: ChangeRecorder,
  ) {}

  /**
   * Registers a feature by feature set + name with SOURCE_OF edges from its dataset versions.
   * Registering an existing feature returns it unchanged (`created: false`) apart from sources
   * it did not have yet, whose edges are added; `update` changes its other fields.
   */
  register(meta: RequestMeta, command: RegisterFeatureCommand) {
    return runInTransaction(this.db, async (tx) => {
      const featureSet = await this.featureSets.findById(tx, command.featureSet.id);
      if (!featureSet) throw new FeatureSetNotFoundError(command.featureSet.shownAs, "input.featureSetId");
      await this.guard.requireAll(
        tx,
        command.sources.map((source) => ({ type: "DATASET_VERSION" as const, ...source })),
      );
      const sourceIds = [...new Set(command.sources.map((source) => source.id))];
      const target = (id: string) => ({ kind: "Feature" as const, id, namespaceId: featureSet.namespaceId });

      const existing = await this.features.findByName(tx, featureSet.id, command.name);
      if (existing) {
        const current = new Set(await this.features.currentSourceIds(tx, existing.id));
        const missing = sourceIds.filter((id) => !current.has(id));
        if (missing.length > 0) {
          await this.recorder.record(tx, meta, {
            action: "feature.sources_added",
            target: target(existing.id),
            after: { ...existing, addedSourceDatasetVersionIds: missing },
            addEdges: missing.map((id) => sourceEdge(id, existing.id)),
          });
        }
        return { feature: existing, created: false };
      }

      const feature = await this.features.create(tx, {
        featureSetId: featureSet.id,
        name: command.name,
        dtype: command.dtype,
        description: command.description,
        transformationRef: command.transformationRef,
      });
      await this.recorder.record(tx, meta, {
        action: "feature.registered",
        target: target(feature.id),
        after: { ...feature, sourceDatasetVersionIds: sourceIds },
        addEdges: sourceIds.map((id) => sourceEdge(id, feature.id)),
      });
      return { feature, created: true };
    });
  }

  update(
    meta: RequestMeta,
    id: string,
    input: { description?: string | null | undefined; dtype?: string | undefined; transformationRef?: string | null | undefined },
  ) {
    return runInTransaction(this.db, async (tx) => {
      const before = await this.features.findByIdForUpdate(tx, id);
      if (!before) throw new FeatureNotFoundError(id, "input.id");
      const featureSet = await this.featureSets.findById(tx, before.featureSetId);
      const after = await this.features.update(tx, id, input);
      await this.recorder.record(tx, meta, {
        action: "feature.updated",
        target: { kind: "Feature", id, namespaceId: featureSet?.namespaceId },
        before,
        after,
      });
      return after;
    });
  }

  async list(filter: FeatureFilter, page: PageRequest, field: "name" | "createdAt" | "updatedAt", direction: SortDirection) {
    const result = await paginate<FeatureRecord>(page, field, direction, (query) => this.features.list(filter, query));
    return { page: result, count: () => this.features.count(filter) };
  }
}
